using DbIntegrity.Core.Plugins;
using DbIntegrity.Core.Storage;

namespace DbIntegrity.Core.Rules;

/// <summary>
/// Everything the scan knows about one identifier: the key text after the installed or package prefix (or the value
/// in the tables), its parsed form when it is valid, the two objects and the rows. Groups arrive in key order.
/// </summary>
internal sealed record IdentifierGroup
{
    /// <summary>The identifier text: the key after <c>PLUGIN_INSTALLED_PATH/</c> or <c>PLUGIN_PACKAGE_CACHE_PATH/</c>, or the column value.</summary>
    public required string Key { get; init; }

    /// <summary>Null when <see cref="Key"/> fails the daemon's identifier regex.</summary>
    public PluginUniqueIdentifier? Parsed { get; init; }

    /// <summary>The object at <c>plugin/&lt;Key&gt;</c>, when listed.</summary>
    public StoredObject? InstalledObject { get; init; }

    /// <summary>The object at <c>plugin_packages/&lt;Key&gt;</c>, when listed.</summary>
    public StoredObject? PackageObject { get; init; }

    public IReadOnlyList<PluginRow> Plugins { get; init; } = [];

    public IReadOnlyList<DeclarationRow> Declarations { get; init; } = [];

    /// <summary>
    /// Whether <c>plugin_installations</c> holds this identifier, byte for byte (the installations' digest has a row
    /// for it); false when the pass does not read the digest (no installation rule runs).
    /// </summary>
    public bool Installed { get; init; }

    /// <summary>An object or a <c>plugins</c> or <c>plugin_declarations</c> row: the groups the identifier rules see.</summary>
    public bool HasObjectOrRow => InstalledObject is not null || PackageObject is not null || Plugins.Count > 0 || Declarations.Count > 0;
}
