using static DbIntegrity.Simulator.Packages.JsonTree;

namespace DbIntegrity.Simulator.Packages;

/// <summary>An agent-strategy provider with one strategy (<c>AgentStrategyProviderDeclaration</c>, <c>agent_declaration.go</c>).</summary>
internal static class AgentStrategyBlock
{
    public static CategoryBlock Add(PackageSpec spec, IconNames icons, IReadOnlyList<string> tags, PackageFiles files)
    {
        var provider = spec.ProviderName;
        const string Strategy = "function_calling";
        var providerFile = $"provider/{provider}.yaml";
        var strategyFile = $"strategies/{Strategy}.yaml";
        var identity = Object(("author", spec.Author), ("name", Strategy), ("label", I18n("Function Calling")));
        var description = I18n("Calls tools through the model's function calling.");

        files.AddYaml(strategyFile, Object(
            ("identity", identity.DeepClone()),
            ("description", description.DeepClone()),
            ("parameters", Array(Object(("name", "model"), ("type", "model-selector"), ("scope", "llm"), ("required", true), ("label", I18n("Model"))))),
            ("extra", PythonSource.Extra($"strategies/{Strategy}.py"))));
        files.AddText($"strategies/{Strategy}.py", PythonSource.Class("FunctionCallingStrategy", "AgentStrategy", "dify_plugin.interfaces.agent"));
        files.AddYaml(providerFile, Object(
            ("identity", ToolBlock.Identity(spec, icons, tags, forYaml: true)),
            ("strategies", Array(strategyFile)),
            ("extra", PythonSource.Extra($"provider/{provider}.py"))));
        files.AddText($"provider/{provider}.py", PythonSource.Class(PythonSource.ClassName(provider) + "Provider", "AgentStrategyProvider", "dify_plugin.interfaces.agent"));

        var declaration = Object(
            ("identity", ToolBlock.Identity(spec, icons, tags, forYaml: false)),
            ("strategies", Array(Object(
                ("identity", identity),
                ("description", description),
                ("parameters", Array(Object(
                    ("name", "model"), ("label", I18n("Model")), ("help", Object(("en_US", string.Empty))), ("type", "model-selector"),
                    ("auto_generate", null), ("template", null), ("scope", "llm"), ("required", true), ("default", null),
                    ("min", null), ("max", null), ("precision", null), ("options", null)))),
                ("output_schema", null),
                ("features", Array())))));
        return new CategoryBlock("agent_strategy", "agent_strategies", providerFile, declaration);
    }
}
