using DbIntegrity.Core.Configuration;
using DbIntegrity.Core.Database;
using DbIntegrity.Core.Deployments;
using DbIntegrity.Core.Plugins;
using DbIntegrity.Core.Storage;
using DbIntegrity.Simulator.Packages;
using Npgsql;

namespace DbIntegrity.Simulator.Seeding;

/// <summary>
/// Writes plugin state into PostgreSQL and the bucket exactly as the daemon's own operations do (docs/daemon/storage.md#lifecycle):
/// upload, install (local, serverless, remote), upgrade, uninstall, endpoint setup, readmes, install tasks. The
/// schema is inspected once, so the same calls work on every daemon schema version; each operation's rows are written
/// in one transaction. For test deployments and reproduction scenarios only: a check never writes.
/// </summary>
public sealed class DeploymentSeeder
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly IObjectWriter _objects;

    private DeploymentSeeder(NpgsqlDataSource dataSource, IObjectWriter objects, StorageLayout layout, DatabaseSchema schema, SeederOptions options)
    {
        _dataSource = dataSource;
        _objects = objects;
        Layout = layout;
        Schema = schema;
        Options = options;
    }

    /// <summary>The key prefixes objects are written under.</summary>
    public StorageLayout Layout { get; }

    /// <summary>The schema as inspected when the seeder was created: check it for optional tables before seeding them.</summary>
    public DatabaseSchema Schema { get; }

    public SeederOptions Options { get; }

    public static Task<DeploymentSeeder> CreateAsync(Deployment deployment, CancellationToken cancellationToken) =>
        CreateAsync(deployment, new SeederOptions(), cancellationToken);

    /// <summary>Inspects the database schema once; fails when the daemon's core tables are missing.</summary>
    public static async Task<DeploymentSeeder> CreateAsync(
        Deployment deployment, SeederOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        ArgumentNullException.ThrowIfNull(options);
        var (dataSource, objects, layout) = deployment;
        DatabaseSchema schema;
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        {
            schema = await SchemaInspector.InspectAsync(connection, cancellationToken);
        }

        var missing = new[] { "plugins", "plugin_installations", "plugin_declarations", "endpoints" }.Where(t => !schema.HasTable(t)).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidOperationException(
                $"Schema {schema.SchemaName} has no {string.Join(", ", missing)}: this is not a plugin daemon database yet. Run the migrations first (dbintegrity migrate up), then seed.");
        }

        return new DeploymentSeeder(dataSource, objects, layout, schema, options);
    }

    /// <summary>The same seeder with other options, e.g. <c>seeder.WithOptions(seeder.Options with { RowAge = TimeSpan.Zero })</c>.</summary>
    public DeploymentSeeder WithOptions(SeederOptions options) => new(_dataSource, _objects, Layout, Schema, options ?? throw new ArgumentNullException(nameof(options)));

    /// <summary>
    /// Upload (docs/daemon/storage.md#lifecycle): <c>assets/&lt;id&gt;</c> for every icon, <c>plugin_packages/&lt;I&gt;</c> (overwritten if present), and
    /// the <c>plugin_declarations</c> row if missing.
    /// </summary>
    public async Task<SeededUpload> UploadAsync(DifyPackage package, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(package);
        var assetKeys = await PutAssetsAsync(package, cancellationToken);
        var packageKey = Layout.PackageKey(package.Identifier.Value);
        await _objects.PutAsync(packageKey, package.Bytes, cancellationToken);

        await using var session = await BeginAsync(cancellationToken);
        var existing = await session.FirstRowAsync(
            "SELECT id FROM plugin_declarations WHERE plugin_unique_identifier = $1", cancellationToken,
            ("plugin_declarations", "plugin_unique_identifier", package.Identifier.Value));
        var id = existing?[0] as Guid? ?? await session.InsertAsync("plugin_declarations",
        [
            ("plugin_unique_identifier", package.Identifier.Value),
            ("plugin_id", package.PluginId),
            ("declaration", package.Declaration),
        ], cancellationToken);
        await session.CommitAsync(cancellationToken);
        return new SeededUpload(package, id, existing is null, packageKey, assetKeys);
    }

    /// <summary>
    /// A local install (docs/daemon/storage.md#lifecycle): copies <c>plugin_packages/&lt;I&gt;</c> to <c>plugin/&lt;I&gt;</c>, then adds a refer to
    /// the <c>plugins</c> row, the <c>plugin_installations</c> row and the category row. Upload the package first, as
    /// Dify does; this does not upload it.
    /// </summary>
    public Task<SeededInstallation> InstallAsync(Guid tenantId, DifyPackage package, CancellationToken cancellationToken) =>
        InstallAsync(tenantId, package, "marketplace", cancellationToken);

    /// <inheritdoc cref="InstallAsync(Guid, DifyPackage, CancellationToken)"/>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="package">The uploaded package.</param>
    /// <param name="source"><c>plugin_installations.source</c>: <c>marketplace</c>, <c>package</c> or <c>github</c>.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    public async Task<SeededInstallation> InstallAsync(Guid tenantId, DifyPackage package, string source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(package);
        // The daemon copies plugin_packages/<I> to plugin/<I>; writing the same bytes gives the same object without
        // needing the source bucket's name, which IObjectWriter does not expose.
        var installedKey = Layout.InstalledKey(package.Identifier.Value);
        await _objects.PutAsync(installedKey, package.Bytes, cancellationToken);
        return await InstallRowsAsync(tenantId, package, package.Identifier, PluginRuntime.Local, source, installedKey, cancellationToken);
    }

    /// <summary>
    /// Installs of one package by several tenants at the same moment on a daemon before 0.5.4 (docs/daemon/database.md#schema-history, docs/daemon/issues.md#issues
    /// dify#38276). InstallPlugin looks for the identifier's <c>plugins</c> row and creates it when missing; with only a
    /// plain index on the identifier, each concurrent install finds none (the others have not committed) and inserts its
    /// own row with refers 1. On a 0.5.4+ schema PostgreSQL refuses the second row (23505), as it refuses the daemon.
    /// Upload the package first.
    /// </summary>
    public async Task<IReadOnlyList<SeededInstallation>> InstallRacingAsync(IReadOnlyList<Guid> tenantIds, DifyPackage package, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tenantIds);
        ArgumentNullException.ThrowIfNull(package);
        var installedKey = Layout.InstalledKey(package.Identifier.Value);
        await _objects.PutAsync(installedKey, package.Bytes, cancellationToken);
        var installations = new List<SeededInstallation>();
        foreach (var tenantId in tenantIds)
        {
            await using var session = await BeginAsync(cancellationToken);
            if (await DaemonRows.InstallationExistsAsync(session, tenantId, package.PluginId, cancellationToken))
            {
                throw new InvalidOperationException($"Tenant {tenantId} already has {package.PluginId} installed: a racing install is a first install.");
            }

            var pluginRowId = await DaemonRows.InsertPluginAsync(
                session, package.Identifier, PluginRuntime.Local, package, refers: 1, manifestType: string.Empty, "marketplace", cancellationToken);
            var installationId = await DaemonRows.InsertInstallationAsync(
                session, tenantId, package.Identifier, PluginRuntime.Local, "marketplace", Meta("marketplace", package.Identifier), cancellationToken);
            var categoryRow = await DaemonRows.InsertCategoryRowAsync(session, tenantId, package.Identifier, package, cancellationToken);
            await session.CommitAsync(cancellationToken);
            installations.Add(new SeededInstallation(tenantId, package, package.Identifier, PluginRuntime.Local, "marketplace", pluginRowId, installationId,
                categoryRow, installedKey, Layout.PackageKey(package.Identifier.Value), ServerlessRuntimeId: null));
        }

        return installations;
    }

    /// <summary>A serverless install (docs/daemon/storage.md#lifecycle, docs/daemon/rules.md#serverless): no <c>plugin/&lt;I&gt;</c>, a <c>serverless_runtimes</c> row instead.</summary>
    public Task<SeededInstallation> InstallServerlessAsync(Guid tenantId, DifyPackage package, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(package);
        return InstallRowsAsync(tenantId, package, package.Identifier, PluginRuntime.Serverless, "marketplace", installedKey: null, cancellationToken);
    }

    /// <summary>
    /// A debugging plugin connecting (docs/daemon/database.md#invariants item 8, docs/daemon/packages.md#checksum): identifier <c>&lt;tenant&gt;/name:version@SHA256(JSON ‖ tenant)</c>,
    /// the declaration in <c>plugins.remote_declaration</c>, its icons under <c>assets/</c>, no package objects and no
    /// <c>plugin_declarations</c> row.
    /// </summary>
    public async Task<SeededInstallation> InstallRemoteAsync(Guid tenantId, DifyPackage package, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(package);
        var tenant = tenantId.ToString();
        var identifier = PluginUniqueIdentifier.Create(tenant, package.Spec.Name, package.Spec.Version, RemotePluginChecksum.Compute(package.Declaration, tenant));
        // Its declaration's icons are asset ids too, and must exist under assets/ (docs/daemon/rules.md#icons).
        await PutAssetsAsync(package, cancellationToken);
        return await InstallRowsAsync(tenantId, package, identifier, PluginRuntime.Remote, "remote", installedKey: null, cancellationToken);
    }

    /// <summary>
    /// Upgrade (docs/daemon/storage.md#lifecycle): the installation is repointed, the refer moves, the category row is replaced, and the old
    /// version's <c>plugins</c> row and <c>plugin/&lt;I&gt;</c> go when its last refer does. Upload the new package first.
    /// </summary>
    public async Task<SeededInstallation> UpgradeAsync(SeededInstallation installation, DifyPackage package, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(installation);
        ArgumentNullException.ThrowIfNull(package);
        if (installation.Runtime == PluginRuntime.Remote || package.PluginId != installation.PluginId)
        {
            throw new ArgumentException(
                $"Cannot upgrade {installation.Identifier} to {package.Identifier}: an upgrade keeps the plugin id and applies to local or serverless installations only.",
                nameof(package));
        }

        string? installedKey = null;
        if (installation.Runtime == PluginRuntime.Local)
        {
            installedKey = Layout.InstalledKey(package.Identifier.Value);
            await _objects.PutAsync(installedKey, package.Bytes, cancellationToken);
        }

        var rows = await TransactAsync(
            session => DaemonRows.UpgradeAsync(session, installation, package, Meta(installation.Source, package.Identifier), Options.DeleteDeclarationOnLastUninstall, cancellationToken),
            cancellationToken);
        if (rows.OldPluginDeleted && installation.InstalledKey is { } oldKey)
        {
            await _objects.DeleteAsync(oldKey, cancellationToken);
        }

        return installation with
        {
            Package = package,
            Identifier = package.Identifier,
            PluginRowId = rows.PluginRowId,
            CategoryRow = rows.CategoryRow,
            InstalledKey = installedKey,
            PackageKey = Layout.PackageKey(package.Identifier.Value),
            ServerlessRuntimeId = rows.ServerlessRuntimeId,
        };
    }

    /// <summary>
    /// Uninstall (docs/daemon/storage.md#lifecycle): deletes the installation and category rows and a refer; at zero refers the <c>plugins</c> row
    /// and, for local plugins, <c>plugin/&lt;I&gt;</c> only. Packages, assets and endpoints stay (docs/daemon/database.md#invariants items 5-6).
    /// </summary>
    public async Task<SeededUninstall> UninstallAsync(SeededInstallation installation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(installation);
        var deleted = await TransactAsync(
            async session =>
            {
                await session.ExecuteAsync("DELETE FROM plugin_installations WHERE id = $1", cancellationToken,
                    ("plugin_installations", "id", installation.InstallationId));
                await DaemonRows.DeleteCategoryRowsAsync(session, installation.TenantId, installation.PluginId, installation.Package.Category, cancellationToken);
                return await DaemonRows.ReleaseReferAsync(session, installation.Identifier, Options.DeleteDeclarationOnLastUninstall, cancellationToken);
            },
            cancellationToken);

        var deletedKey = deleted && installation.Runtime == PluginRuntime.Local ? installation.InstalledKey : null;
        if (deletedKey is not null)
        {
            await _objects.DeleteAsync(deletedKey, cancellationToken);
        }

        return new SeededUninstall(deleted, deletedKey);
    }

    /// <summary>Sets up an endpoint for an installation (works for remote installations too).</summary>
    public Task<SeededEndpoint> AddEndpointAsync(SeededInstallation installation, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(installation);
        return AddEndpointAsync(installation.TenantId, installation.Package, installation.PluginId, name, cancellationToken);
    }

    /// <summary>
    /// Endpoint setup (<c>install_service.InstallEndpoint</c>): an <c>endpoints</c> row with a random 16-letter hook id,
    /// expiring 2050-01-01, enabled, and one more <c>endpoints_setups</c>/<c>endpoints_active</c> on the tenant's
    /// installation of the plugin, if there is one.
    /// </summary>
    public Task<SeededEndpoint> AddEndpointAsync(Guid tenantId, DifyPackage package, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(package);
        return AddEndpointAsync(tenantId, package, package.PluginId, name, cancellationToken);
    }

    /// <summary>The <c>plugin_readme_records</c> rows the daemon fills from the package on first request (daemon 0.5.2+).</summary>
    public async Task<IReadOnlyList<SeededReadme>> AddReadmesAsync(DifyPackage package, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(package);
        var readmes = new List<SeededReadme>();
        await using var session = await BeginAsync(cancellationToken);
        foreach (var (language, content) in package.Readmes.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            var id = await session.InsertAsync("plugin_readme_records",
                [("plugin_unique_identifier", package.Identifier.Value), ("language", language), ("content", content)], cancellationToken);
            readmes.Add(new SeededReadme(id, package.Identifier, language));
        }

        await session.CommitAsync(cancellationToken);
        return readmes;
    }

    /// <summary>
    /// An <c>install_tasks</c> row listing the packages. The daemon deletes successful tasks 120 s after they finish and
    /// keeps failed ones, so a settled deployment holds only failed (or stuck) tasks.
    /// </summary>
    public async Task<SeededInstallTask> AddInstallTaskAsync(Guid tenantId, InstallTaskStatus status, IReadOnlyList<DifyPackage> packages, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(packages);
        await using var session = await BeginAsync(cancellationToken);
        var id = await InstallTaskRows.InsertAsync(session, tenantId, status, packages, cancellationToken);
        await session.CommitAsync(cancellationToken);
        return new SeededInstallTask(id, tenantId, status, packages.Select(p => p.Identifier).ToList());
    }

    private async Task<SeededInstallation> InstallRowsAsync(
        Guid tenantId, DifyPackage package, PluginUniqueIdentifier identifier, PluginRuntime runtime, string source, string? installedKey, CancellationToken cancellationToken)
    {
        await using var session = await BeginAsync(cancellationToken);
        if (await DaemonRows.InstallationExistsAsync(session, tenantId, identifier.PluginId, cancellationToken))
        {
            // InstallPlugin refuses this (ErrPluginAlreadyInstalled); another version goes through UpgradeAsync.
            throw new InvalidOperationException($"Tenant {tenantId} already has {identifier.PluginId} installed: use UpgradeAsync to change its version.");
        }

        var pluginRowId = await DaemonRows.AddReferAsync(session, identifier, runtime, package, source, cancellationToken);
        var installationId = await DaemonRows.InsertInstallationAsync(session, tenantId, identifier, runtime, source, Meta(source, identifier), cancellationToken);
        var categoryRow = await DaemonRows.InsertCategoryRowAsync(session, tenantId, identifier, package, cancellationToken);
        Guid? serverless = runtime == PluginRuntime.Serverless
            ? await DaemonRows.EnsureServerlessRuntimeAsync(session, identifier, package, cancellationToken)
            : null;
        await session.CommitAsync(cancellationToken);
        var packageKey = runtime == PluginRuntime.Remote ? null : Layout.PackageKey(identifier.Value);
        return new SeededInstallation(tenantId, package, identifier, runtime, source, pluginRowId, installationId, categoryRow, installedKey, packageKey, serverless);
    }

    private async Task<SeededEndpoint> AddEndpointAsync(Guid tenantId, DifyPackage package, string pluginId, string name, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (!package.HasEndpoints)
        {
            // SetupEndpoint refuses plugins without an endpoint block ("plugin does not have an endpoint").
            throw new ArgumentException($"{package.Identifier} declares no endpoints: build it with WithEndpoints or as an extension.", nameof(package));
        }

        await using var session = await BeginAsync(cancellationToken);
        var (id, hookId) = await EndpointRows.InsertAsync(session, tenantId, Options.UserId, pluginId, name, cancellationToken);
        await session.CommitAsync(cancellationToken);
        return new SeededEndpoint(id, tenantId, pluginId, name, hookId);
    }

    private async Task<IReadOnlyList<string>> PutAssetsAsync(DifyPackage package, CancellationToken cancellationToken)
    {
        var keys = new List<string>();
        foreach (var (assetId, content) in package.Assets.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            var key = Layout.AssetKey(assetId);
            await _objects.PutAsync(key, content, cancellationToken);
            keys.Add(key);
        }

        return keys;
    }

    private async Task<T> TransactAsync<T>(Func<SeedingSession, Task<T>> work, CancellationToken cancellationToken)
    {
        await using var session = await BeginAsync(cancellationToken);
        var result = await work(session);
        await session.CommitAsync(cancellationToken);
        return result;
    }

    private Task<SeedingSession> BeginAsync(CancellationToken cancellationToken) =>
        SeedingSession.BeginAsync(_dataSource, Schema, Options.RowTimestamp(), cancellationToken);

    // Dify passes the marketplace identifier as meta for marketplace installs and an empty map otherwise (docs/daemon/database.md#tables).
    private static string Meta(string source, PluginUniqueIdentifier identifier) =>
        source == "marketplace" ? JsonTree.Serialize(JsonTree.Object(("plugin_unique_identifier", identifier.Value))) : "{}";
}
