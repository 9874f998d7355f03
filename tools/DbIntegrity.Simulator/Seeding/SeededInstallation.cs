using DbIntegrity.Core.Plugins;
using DbIntegrity.Simulator.Packages;

namespace DbIntegrity.Simulator.Seeding;

/// <summary>What installing a plugin for a tenant wrote (docs/daemon/storage.md#lifecycle, "Install"), with every row id and key.</summary>
/// <param name="TenantId">The tenant.</param>
/// <param name="Package">The installed package.</param>
/// <param name="Identifier">
/// The installed identifier: the package's, or for a remote (debugging) plugin <c>&lt;tenant&gt;/name:version@…</c> (docs/daemon/packages.md#checksum).
/// </param>
/// <param name="Runtime">Local, remote or serverless.</param>
/// <param name="Source"><c>plugin_installations.source</c>: <c>marketplace</c>, <c>package</c>, <c>github</c> or <c>remote</c>.</param>
/// <param name="PluginRowId">The shared <c>plugins</c> row of this identifier.</param>
/// <param name="InstallationId">The <c>plugin_installations</c> row.</param>
/// <param name="CategoryRow">The category row; null for endpoint-only plugins.</param>
/// <param name="InstalledKey"><c>plugin/&lt;I&gt;</c> for local plugins; null otherwise.</param>
/// <param name="PackageKey"><c>plugin_packages/&lt;I&gt;</c>, which launching reads; null for remote plugins.</param>
/// <param name="ServerlessRuntimeId">The <c>serverless_runtimes</c> row of a serverless plugin.</param>
public sealed record SeededInstallation(
    Guid TenantId,
    DifyPackage Package,
    PluginUniqueIdentifier Identifier,
    PluginRuntime Runtime,
    string Source,
    Guid PluginRowId,
    Guid InstallationId,
    SeededCategoryRow? CategoryRow,
    string? InstalledKey,
    string? PackageKey,
    Guid? ServerlessRuntimeId)
{
    /// <summary><c>author/name</c> as stored in <c>plugin_id</c> columns.</summary>
    public string PluginId => Identifier.PluginId;
}
