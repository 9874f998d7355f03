using static DbIntegrity.Simulator.Packages.JsonTree;

namespace DbIntegrity.Simulator.Packages;

/// <summary>A trigger provider with one event (<c>TriggerProviderDeclaration</c>, <c>trigger_declaration.go</c>).</summary>
internal static class TriggerBlock
{
    public static CategoryBlock Add(PackageSpec spec, IconNames icons, IReadOnlyList<string> tags, PackageFiles files)
    {
        var provider = spec.ProviderName;
        var trigger = provider + "_event";
        var providerFile = $"provider/{provider}.yaml";
        var eventFile = $"events/{trigger}.yaml";
        var identity = Object(("author", spec.Author), ("name", trigger), ("label", I18n($"{spec.LabelText} Event")));
        var description = I18n($"Fires when {spec.LabelText} sends an event.");

        files.AddYaml(eventFile, Object(
            ("identity", identity.DeepClone()),
            ("description", description.DeepClone()),
            ("parameters", Array()),
            ("extra", PythonSource.Extra($"events/{trigger}.py"))));
        files.AddText($"events/{trigger}.py", PythonSource.Class(PythonSource.ClassName(trigger), "Event", "dify_plugin.interfaces.trigger"));
        files.AddYaml(providerFile, Object(
            ("identity", ToolBlock.Identity(spec, icons, tags, forYaml: true)),
            ("subscription_schema", Array()),
            ("events", Array(eventFile)),
            ("extra", PythonSource.Extra($"provider/{provider}.py"))));
        files.AddText($"provider/{provider}.py", PythonSource.Class(PythonSource.ClassName(provider) + "Trigger", "Trigger", "dify_plugin.interfaces.trigger"));

        var declaration = Object(
            ("identity", ToolBlock.Identity(spec, icons, tags, forYaml: false)),
            ("subscription_schema", Array()),
            ("subscription_constructor", null),
            ("events", Array(Object(("identity", identity), ("parameters", Array()), ("description", description)))));
        return new CategoryBlock("trigger", "triggers", providerFile, declaration);
    }
}
