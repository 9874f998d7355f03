using DbIntegrity.Simulator.Packages;

namespace DbIntegrity.Simulator.Seeding;

/// <summary>
/// Everything a seeded deployment holds, with row ids and object keys, so a test can break exactly one thing (delete
/// one object, one row) and know what a check should report.
/// </summary>
public sealed record SeededDeployment(
    IReadOnlyList<Guid> Tenants,
    IReadOnlyList<SeededUpload> Uploads,
    IReadOnlyList<SeededInstallation> Installations,
    IReadOnlyList<SeededEndpoint> Endpoints,
    IReadOnlyList<SeededReadme> Readmes,
    IReadOnlyList<SeededInstallTask> InstallTasks)
{
    /// <summary>Every package in the deployment: uploaded ones and those of remote installations.</summary>
    public IEnumerable<DifyPackage> Packages =>
        Uploads.Select(u => u.Package).Concat(Installations.Select(i => i.Package)).DistinctBy(p => p.Identifier.Value);

    /// <summary>Uploaded packages no tenant has installed: harmless orphans (docs/daemon/storage.md#lifecycle, docs/daemon/rules.md#harmless-orphans).</summary>
    public IEnumerable<SeededUpload> UploadedOnly =>
        Uploads.Where(u => Installations.All(i => i.Identifier != u.Identifier));

    /// <summary>A tenant's installation of <c>author/name</c> (for remote plugins, <c>&lt;tenant&gt;/name</c>).</summary>
    public SeededInstallation Installation(Guid tenantId, string pluginId) =>
        Installations.SingleOrDefault(i => i.TenantId == tenantId && i.PluginId == pluginId)
        ?? throw new KeyNotFoundException($"Tenant {tenantId} has no installation of {pluginId}. It has: {string.Join(", ", Installations.Where(i => i.TenantId == tenantId).Select(i => i.PluginId))}.");

    /// <summary>The installations of one identifier, across tenants.</summary>
    public IReadOnlyList<SeededInstallation> InstallationsOf(string identifier) =>
        Installations.Where(i => i.Identifier.Value == identifier).ToList();

    /// <summary>The upload of <c>author/name</c> at a version.</summary>
    public SeededUpload Upload(string pluginId, string version) =>
        Uploads.SingleOrDefault(u => u.Package.PluginId == pluginId && u.Package.Identifier.Version == version)
        ?? throw new KeyNotFoundException($"No upload of {pluginId} {version}. Uploaded: {string.Join(", ", Uploads.Select(u => u.Identifier))}.");
}
