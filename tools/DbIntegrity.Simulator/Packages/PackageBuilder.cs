using DbIntegrity.Core.Packages;
using DbIntegrity.Core.Plugins;

namespace DbIntegrity.Simulator.Packages;

/// <summary>
/// Builds real <c>.difypkg</c> packages (docs/daemon/packages.md): a zip with <c>manifest.yaml</c>, <c>_assets/</c>, provider
/// YAML, Python sources and readmes, plus the declaration JSON the daemon stores for it at upload. Pure: no I/O, and
/// the same spec always gives the same identifier.
/// </summary>
public static class PackageBuilder
{
    public static DifyPackage Build(PackageSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        spec.Validate();

        var files = new PackageFiles();
        var icons = new IconNames(
            files.AddIcon(spec.Icon ?? DefaultIcon.Create("icon.svg", $"{spec.Author}/{spec.Name}")),
            spec.IconDark is { } dark ? files.AddIcon(dark) : null);
        var tags = Tags(spec.Category);
        var blocks = new List<CategoryBlock>();
        if (spec.Category != PluginCategory.Extension)
        {
            blocks.Add(spec.Category switch
            {
                PluginCategory.Tool => ToolBlock.Add(spec, icons, tags, files),
                PluginCategory.Model => ModelBlock.Add(spec, icons, files),
                PluginCategory.AgentStrategy => AgentStrategyBlock.Add(spec, icons, tags, files),
                PluginCategory.Datasource => DatasourceBlock.Add(spec, icons, tags, files),
                PluginCategory.Trigger => TriggerBlock.Add(spec, icons, tags, files),
                _ => throw new ArgumentOutOfRangeException(nameof(spec), spec.Category, "Unknown plugin category."),
            });
        }

        if (spec.HasEndpoints)
        {
            blocks.Add(EndpointBlock.Add(spec, files));
        }

        var manifest = new ManifestContent(spec, icons, tags, blocks);
        var manifestText = YamlText.Write(manifest.ToYaml());
        files.AddText("manifest.yaml", manifestText);
        files.AddText("main.py", "from dify_plugin import DifyPluginEnv, Plugin\n\nplugin = Plugin(DifyPluginEnv(MAX_REQUEST_TIMEOUT=120))\n\nif __name__ == \"__main__\":\n    plugin.run()\n");
        files.AddText("requirements.txt", "dify_plugin>=0.4.0,<0.6.0\n");
        var readmes = AddReadmes(spec, files);

        var bytes = PackageZip.Write(files.All);
        var identifier = PluginUniqueIdentifier.Create(spec.Author, spec.Name, spec.Version, PackageZip.Checksum(bytes));

        // docs/daemon/storage.md#key-layout/docs/daemon/packages.md#declaration: each icon becomes assets/<sha256(bytes ‖ name)><ext>, and the declaration names it by that id.
        var assetIds = files.Icons.ToDictionary(i => i.Key, i => AssetId.Compute(i.Value, i.Key), StringComparer.Ordinal);
        var declaration = manifest.ToDeclaration();
        var error = IconFields.Replace(declaration, (path, fileName) =>
            assetIds.TryGetValue(fileName, out var id) ? id : throw new InvalidOperationException($"{path} names {fileName}, which is not under _assets/."));
        if (error is not null)
        {
            throw new InvalidOperationException($"The builder produced a declaration of the wrong shape: {error}");
        }

        var assets = files.Icons.ToDictionary(i => assetIds[i.Key], i => i.Value, StringComparer.Ordinal);
        return new DifyPackage(spec, identifier, bytes, files.All.Keys.ToList(), manifestText, JsonTree.Serialize(declaration), assets, readmes);
    }

    private static Dictionary<string, string> AddReadmes(PackageSpec spec, PackageFiles files)
    {
        // docs/daemon/database.md#tables plugin_readme_records: README.md is the en_US readme, readme/README_<lang>.md the others.
        var readmes = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["en_US"] = $"# {spec.LabelText}\n\n{spec.DescriptionText}\n\n## Setup\n\nInstall the plugin from the marketplace and configure it in Dify.\n",
        };
        files.AddText("README.md", readmes["en_US"]);
        foreach (var (language, content) in spec.TranslatedReadmes.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            readmes[language] = content;
            files.AddText($"readme/README_{language}.md", content);
        }

        return readmes;
    }

    private static string[] Tags(PluginCategory category) => category switch
    {
        PluginCategory.Tool => ["search"],
        PluginCategory.AgentStrategy => ["agent"],
        PluginCategory.Datasource => ["rag"],
        PluginCategory.Trigger => ["productivity"],
        PluginCategory.Extension => ["utilities"],
        _ => [],
    };
}
