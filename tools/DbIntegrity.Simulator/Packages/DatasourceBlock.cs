using static DbIntegrity.Simulator.Packages.JsonTree;

namespace DbIntegrity.Simulator.Packages;

/// <summary>
/// A datasource provider with one datasource (<c>DatasourceProviderDeclaration</c>, <c>datasource_declaration.go</c>).
/// The datasource's own identity carries the icon too, one of the fields upload remaps (docs/daemon/packages.md#declaration).
/// </summary>
internal static class DatasourceBlock
{
    public static CategoryBlock Add(PackageSpec spec, IconNames icons, IReadOnlyList<string> tags, PackageFiles files)
    {
        var provider = spec.ProviderName;
        var datasource = provider + "_pages";
        var providerFile = $"provider/{provider}.yaml";
        var datasourceFile = $"datasources/{datasource}.yaml";
        var identity = Object(("author", spec.Author), ("name", datasource), ("label", I18n($"{spec.LabelText} Pages")), ("icon", icons.Icon));
        var description = I18n($"Pages from {spec.LabelText}.");

        files.AddYaml(datasourceFile, Object(
            ("identity", identity.DeepClone()),
            ("description", description.DeepClone()),
            ("parameters", Array()),
            ("extra", PythonSource.Extra($"datasources/{datasource}.py"))));
        files.AddText($"datasources/{datasource}.py", PythonSource.Class(PythonSource.ClassName(datasource), "OnlineDocumentDatasource", "dify_plugin.interfaces.datasource.online_document"));
        files.AddYaml(providerFile, Object(
            ("identity", Identity(spec, icons, tags)),
            ("provider_type", "online_document"),
            ("credentials_schema", Array()),
            ("datasources", Array(datasourceFile)),
            ("extra", PythonSource.Extra($"provider/{provider}.py"))));
        files.AddText($"provider/{provider}.py", PythonSource.Class(PythonSource.ClassName(provider) + "Provider", "DatasourceProvider", "dify_plugin.interfaces.datasource"));

        var declaration = Object(
            ("identity", Identity(spec, icons, tags)),
            ("credentials_schema", Array()),
            ("oauth_schema", null),
            ("provider_type", "online_document"),
            ("datasources", Array(Object(("identity", identity), ("parameters", Array()), ("description", description)))));
        return new CategoryBlock("datasource", "datasources", providerFile, declaration);
    }

    // DatasourceProviderIdentity has no icon_dark.
    private static System.Text.Json.Nodes.JsonObject Identity(PackageSpec spec, IconNames icons, IReadOnlyList<string> tags) => Object(
        ("author", spec.Author),
        ("name", spec.ProviderName),
        ("description", I18n(spec.DescriptionText)),
        ("icon", icons.Icon),
        ("label", I18n(spec.LabelText)),
        ("tags", Strings(tags)));
}
