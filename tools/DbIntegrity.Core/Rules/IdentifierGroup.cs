using DbIntegrity.Core.Plugins;
using DbIntegrity.Core.Storage;

namespace DbIntegrity.Core.Rules;

/// <summary>
/// Everything the scan knows about one identifier: the key text after the installed or package prefix (or the value
/// in the tables), its parsed form when it is valid, the two objects and the rows. Groups arrive in key order.
/// </summary>
public sealed record IdentifierGroup
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
}
