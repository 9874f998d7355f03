using DbIntegrity.Core.Packages;
using DbIntegrity.Core.Plugins;

namespace DbIntegrity.Simulator.Packages;

/// <summary>
/// A built <c>.difypkg</c> and everything the daemon derives from it at upload (docs/daemon/storage.md#lifecycle, docs/daemon/packages.md).
/// </summary>
public sealed record DifyPackage
{
    internal DifyPackage(
        PackageSpec spec,
        PluginUniqueIdentifier identifier,
        byte[] bytes,
        IReadOnlyList<string> entries,
        string manifest,
        string declaration,
        IReadOnlyDictionary<string, byte[]> assets,
        IReadOnlyDictionary<string, string> readmes)
    {
        Spec = spec;
        Identifier = identifier;
        Bytes = bytes;
        Entries = entries;
        Manifest = manifest;
        Declaration = declaration;
        Assets = assets;
        Readmes = readmes;
    }

    public PackageSpec Spec { get; }

    /// <summary><c>author/name:version@checksum</c>, the checksum computed from the zip's entries (docs/daemon/packages.md#checksum).</summary>
    public PluginUniqueIdentifier Identifier { get; }

    /// <summary>The zip bytes, as stored under <c>plugin_packages/&lt;I&gt;</c> and copied to <c>plugin/&lt;I&gt;</c>. Do not modify.</summary>
    public byte[] Bytes { get; }

    /// <summary>The zip's entry paths in the order they are stored (sorted, docs/daemon/packages.md#container).</summary>
    public IReadOnlyList<string> Entries { get; }

    /// <summary>The text of <c>manifest.yaml</c>.</summary>
    public string Manifest { get; }

    /// <summary>The declaration JSON as stored in <c>plugin_declarations.declaration</c>: icons replaced by asset ids (docs/daemon/packages.md#declaration).</summary>
    public string Declaration { get; }

    /// <summary>Asset id (<c>&lt;sha256&gt;&lt;ext&gt;</c>) to file content: what upload writes under <c>assets/</c>.</summary>
    public IReadOnlyDictionary<string, byte[]> Assets { get; }

    /// <summary>Readme language (<c>en_US</c> for <c>README.md</c>) to content, as <c>plugin_readme_records</c> holds them.</summary>
    public IReadOnlyDictionary<string, string> Readmes { get; }

    public PluginCategory Category => Spec.Category;

    /// <summary>The category table's <c>provider</c> value (docs/daemon/database.md#tables); null for extensions, which have no category row.</summary>
    public string? Provider => Spec.Category == PluginCategory.Extension ? null : Spec.ProviderName;

    /// <summary>Whether the declaration has an <c>endpoint</c> block, so endpoints can be set up.</summary>
    public bool HasEndpoints => Spec.HasEndpoints;

    /// <summary><c>author/name</c>, the <c>plugin_id</c> column value.</summary>
    public string PluginId => Identifier.PluginId;

    public override string ToString() => Identifier.Value;
}
