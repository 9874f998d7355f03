using System.Globalization;
using System.Text.Json.Nodes;
using DbIntegrity.Core.Packages;
using static DbIntegrity.Simulator.Packages.JsonTree;

namespace DbIntegrity.Simulator.Packages;

/// <summary>
/// The manifest's top-level values (docs/daemon/packages.md#declaration). The same values go into <c>manifest.yaml</c> (in the order plugin
/// authors write them, optional keys left out) and into the declaration (in Go's field order, every field present).
/// </summary>
internal sealed record ManifestContent(PackageSpec Spec, IconNames Icons, IReadOnlyList<string> Tags, IReadOnlyList<CategoryBlock> Blocks)
{
    private const long Memory = 268_435_456;

    public string CreatedAt => Spec.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public JsonObject ToYaml()
    {
        var manifest = Object(
            ("version", Spec.Version), ("type", "plugin"), ("author", Spec.Author), ("name", Spec.Name),
            ("label", I18n(Spec.LabelText)), ("description", I18n(Spec.DescriptionText)), ("icon", Icons.Icon));
        if (Icons.IconDark is { } dark)
        {
            manifest["icon_dark"] = dark;
        }

        manifest["resource"] = Resource();
        var plugins = new JsonObject();
        foreach (var block in Blocks)
        {
            plugins[block.ManifestListKey] = Strings([block.ProviderFile]);
        }

        manifest["plugins"] = plugins;
        manifest["meta"] = Meta();
        manifest["created_at"] = CreatedAt;
        manifest["tags"] = Strings(Tags);
        return manifest;
    }

    /// <summary>The declaration before asset remapping: Go's <c>PluginDeclaration</c> field order (<c>plugin_declaration.go</c>).</summary>
    public JsonObject ToDeclaration()
    {
        var plugins = new JsonObject();
        foreach (var key in new[] { "tools", "models", "endpoints", "agent_strategies", "datasources", "triggers" })
        {
            plugins[key] = Blocks.FirstOrDefault(b => b.ManifestListKey == key) is { } block ? Strings([block.ProviderFile]) : null;
        }

        var declaration = Object(
            ("version", Spec.Version), ("type", "plugin"), ("author", Spec.Author), ("name", Spec.Name),
            ("label", I18n(Spec.LabelText)), ("description", I18n(Spec.DescriptionText)),
            ("icon", Icons.Icon), ("icon_dark", Icons.IconDark ?? string.Empty),
            ("resource", Resource()), ("plugins", plugins), ("meta", Meta()), ("tags", Strings(Tags)),
            ("created_at", CreatedAt), ("verified", false));
        foreach (var key in new[] { "endpoint", "model", "tool", "agent_strategy", "datasource", "trigger" })
        {
            if (Blocks.FirstOrDefault(b => b.DeclarationKey == key) is { } block)
            {
                declaration[key] = block.Declaration.DeepClone();
            }
        }

        return declaration;
    }

    private JsonObject Resource()
    {
        var permission = new JsonObject();
        var category = Spec.Category;
        if (category is PluginCategory.Tool or PluginCategory.AgentStrategy)
        {
            permission["tool"] = Object(("enabled", true));
            permission["model"] = Object(
                ("enabled", true), ("llm", true), ("text_embedding", false), ("rerank", false),
                ("tts", false), ("speech2text", false), ("moderation", false));
        }

        if (Spec.HasEndpoints)
        {
            permission["endpoint"] = Object(("enabled", true));
        }

        if (category == PluginCategory.Extension)
        {
            permission["app"] = Object(("enabled", true));
        }

        if (category is PluginCategory.Tool or PluginCategory.Extension)
        {
            permission["storage"] = Object(("enabled", true), ("size", 1_048_576));
        }

        var resource = Object(("memory", Memory));
        if (permission.Count > 0)
        {
            resource["permission"] = permission;
        }

        return resource;
    }

    private static JsonObject Meta() => Object(
        ("version", "0.0.1"),
        ("arch", Strings(["amd64", "arm64"])),
        ("runner", Object(("language", "python"), ("version", "3.12"), ("entrypoint", "main"))),
        ("minimum_dify_version", null));
}
