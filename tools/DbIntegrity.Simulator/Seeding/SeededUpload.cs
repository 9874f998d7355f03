using DbIntegrity.Core.Plugins;
using DbIntegrity.Simulator.Packages;

namespace DbIntegrity.Simulator.Seeding;

/// <summary>What uploading a package wrote (docs/daemon/storage.md#lifecycle, "Upload package").</summary>
/// <param name="Package">The uploaded package.</param>
/// <param name="DeclarationId">The <c>plugin_declarations</c> row's id (the existing row's when it was already there).</param>
/// <param name="DeclarationCreated">False when the row existed: upload inserts it only if missing.</param>
/// <param name="PackageKey"><c>plugin_packages/&lt;I&gt;</c>.</param>
/// <param name="AssetKeys"><c>assets/&lt;id&gt;</c> for every icon the declaration names.</param>
public sealed record SeededUpload(DifyPackage Package, Guid DeclarationId, bool DeclarationCreated, string PackageKey, IReadOnlyList<string> AssetKeys)
{
    public PluginUniqueIdentifier Identifier => Package.Identifier;
}
