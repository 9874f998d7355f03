using System.Text.Json.Nodes;
using DbIntegrity.Core.Packages;
using DbIntegrity.Core.Plugins;
using DbIntegrity.Simulator.Packages;

namespace DbIntegrity.Simulator.Seeding;

/// <summary>
/// The row changes of the daemon's install, upgrade and uninstall paths (<c>internal/types/models/curd/atomic.go</c>,
/// docs/daemon/database.md#invariants and docs/daemon/storage.md#lifecycle), one statement each, inside a <see cref="SeedingSession"/>.
/// </summary>
internal static class DaemonRows
{
    public static async Task<bool> InstallationExistsAsync(SeedingSession session, Guid tenantId, string pluginId, CancellationToken cancellationToken) =>
        await session.FirstRowAsync(
            "SELECT id FROM plugin_installations WHERE tenant_id = $1 AND plugin_id = $2 LIMIT 1", cancellationToken,
            ("plugin_installations", "tenant_id", tenantId), ("plugin_installations", "plugin_id", pluginId)) is not null;

    /// <summary>InstallPlugin: the <c>plugins</c> row is shared by all tenants; create it with refers 1 or add one refer.</summary>
    public static async Task<Guid> AddReferAsync(
        SeedingSession session, PluginUniqueIdentifier identifier, PluginRuntime runtime, DifyPackage package, string source, CancellationToken cancellationToken)
    {
        var existing = await PluginRowAsync(session, identifier, cancellationToken);
        if (existing is { } id)
        {
            await session.ExecuteAsync("UPDATE plugins SET refers = refers + 1, updated_at = $2 WHERE id = $1", cancellationToken,
                ("plugins", "id", id), ("plugins", "updated_at", session.Timestamp));
            return id;
        }

        return await InsertPluginAsync(session, identifier, runtime, package, refers: 1, manifestType: string.Empty, source, cancellationToken);
    }

    /// <summary>
    /// A new <c>plugins</c> row. <c>manifest_type</c> is left empty by InstallPlugin and set to <c>plugin</c> by
    /// UpgradePlugin; <c>remote_declaration</c> holds the declaration for remote plugins and an empty one otherwise.
    /// </summary>
    public static Task<Guid> InsertPluginAsync(
        SeedingSession session, PluginUniqueIdentifier identifier, PluginRuntime runtime, DifyPackage package, int refers, string manifestType, string source,
        CancellationToken cancellationToken)
    {
        var row = new List<(string, object?)>
        {
            ("plugin_unique_identifier", identifier.Value),
            ("plugin_id", identifier.PluginId),
            ("refers", refers),
            ("install_type", runtime.ToDatabaseValue()),
            ("manifest_type", manifestType),
            ("remote_declaration", runtime == PluginRuntime.Remote ? package.Declaration : EmptyDeclaration.Json),
            ("source", source),
        };
        if (session.Requires("plugins", "declaration"))
        {
            // Daemons before 0.0.3 stored the full declaration here (docs/daemon/database.md#schema-history).
            row.Add(("declaration", package.Declaration));
        }

        return session.InsertAsync("plugins", row, cancellationToken);
    }

    /// <summary>
    /// UpgradePlugin: the installation row is repointed (same id), the new version's <c>plugins</c> row is created if
    /// missing, the refer moves (the old row goes at zero), and the category row is replaced.
    /// </summary>
    public static async Task<(Guid PluginRowId, SeededCategoryRow? CategoryRow, Guid? ServerlessRuntimeId, bool OldPluginDeleted)> UpgradeAsync(
        SeedingSession session, SeededInstallation installation, DifyPackage package, string meta, bool deleteDeclaration, CancellationToken cancellationToken)
    {
        await session.ExecuteAsync(
            "UPDATE plugin_installations SET plugin_unique_identifier = $2, meta = $3, updated_at = $4 WHERE id = $1", cancellationToken,
            ("plugin_installations", "id", installation.InstallationId),
            ("plugin_installations", "plugin_unique_identifier", package.Identifier.Value),
            ("plugin_installations", "meta", meta),
            ("plugin_installations", "updated_at", session.Timestamp));
        var pluginRowId = await PluginRowAsync(session, package.Identifier, cancellationToken)
            ?? await InsertPluginAsync(session, package.Identifier, installation.Runtime, package, refers: 0, manifestType: "plugin", source: string.Empty, cancellationToken);
        var oldDeleted = await ReleaseReferAsync(session, installation.Identifier, deleteDeclaration, cancellationToken);
        await session.ExecuteAsync("UPDATE plugins SET refers = refers + 1, updated_at = $2 WHERE id = $1", cancellationToken,
            ("plugins", "id", pluginRowId), ("plugins", "updated_at", session.Timestamp));
        await DeleteCategoryRowsAsync(session, installation.TenantId, installation.PluginId, installation.Package.Category, cancellationToken);
        var categoryRow = await InsertCategoryRowAsync(session, installation.TenantId, package.Identifier, package, cancellationToken);
        Guid? serverless = installation.Runtime == PluginRuntime.Serverless
            ? await EnsureServerlessRuntimeAsync(session, package.Identifier, package, cancellationToken)
            : null;
        return (pluginRowId, categoryRow, serverless, oldDeleted);
    }

    public static async Task<Guid?> PluginRowAsync(SeedingSession session, PluginUniqueIdentifier identifier, CancellationToken cancellationToken)
    {
        var row = await session.FirstRowAsync(
            "SELECT id FROM plugins WHERE plugin_unique_identifier = $1 ORDER BY created_at, id LIMIT 1 FOR UPDATE", cancellationToken,
            ("plugins", "plugin_unique_identifier", identifier.Value));
        return row?[0] is Guid id ? id : null;
    }

    /// <summary>Takes one refer away; at zero the <c>plugins</c> row goes (and with 0.6.2+ behaviour the declaration row).</summary>
    public static async Task<bool> ReleaseReferAsync(
        SeedingSession session, PluginUniqueIdentifier identifier, bool deleteDeclaration, CancellationToken cancellationToken)
    {
        var row = await session.FirstRowAsync(
            "UPDATE plugins SET refers = refers - 1, updated_at = $2 WHERE plugin_unique_identifier = $1 RETURNING id, refers", cancellationToken,
            ("plugins", "plugin_unique_identifier", identifier.Value), ("plugins", "updated_at", session.Timestamp));
        if (row is null || Convert.ToInt64(row[1], System.Globalization.CultureInfo.InvariantCulture) > 0)
        {
            return false;
        }

        await session.ExecuteAsync("DELETE FROM plugins WHERE id = $1", cancellationToken, ("plugins", "id", row[0]));
        if (deleteDeclaration)
        {
            await session.ExecuteAsync("DELETE FROM plugin_declarations WHERE plugin_unique_identifier = $1", cancellationToken,
                ("plugin_declarations", "plugin_unique_identifier", identifier.Value));
            if (session.Schema.HasTable("serverless_runtimes"))
            {
                await session.ExecuteAsync("DELETE FROM serverless_runtimes WHERE plugin_unique_identifier = $1", cancellationToken,
                    ("serverless_runtimes", "plugin_unique_identifier", identifier.Value));
            }
        }

        return true;
    }

    public static Task<Guid> InsertInstallationAsync(
        SeedingSession session, Guid tenantId, PluginUniqueIdentifier identifier, PluginRuntime runtime, string source, string meta, CancellationToken cancellationToken) =>
        session.InsertAsync("plugin_installations",
        [
            ("tenant_id", tenantId),
            ("plugin_id", identifier.PluginId),
            ("plugin_unique_identifier", identifier.Value),
            ("runtime_type", runtime.ToDatabaseValue()),
            ("endpoints_setups", 0),
            ("endpoints_active", 0),
            ("source", source),
            ("meta", meta),
        ], cancellationToken);

    /// <summary>The one category row, with <c>provider</c> from the declaration (docs/daemon/database.md#tables); none for endpoint-only plugins.</summary>
    public static async Task<SeededCategoryRow?> InsertCategoryRowAsync(
        SeedingSession session, Guid tenantId, PluginUniqueIdentifier identifier, DifyPackage package, CancellationToken cancellationToken)
    {
        if (package.Category.InstallationTable() is not { } table || package.Provider is not { } provider)
        {
            return null;
        }

        var row = new List<(string, object?)>
        {
            ("tenant_id", tenantId),
            ("provider", provider),
            ("plugin_unique_identifier", identifier.Value),
            ("plugin_id", identifier.PluginId),
        };
        if (session.Requires(table, "declaration"))
        {
            // Before 0.0.3 these tables held the category's provider declaration, NOT NULL (docs/daemon/database.md#schema-history).
            row.Add(("declaration", CategoryBlock(package)));
        }

        var id = await session.InsertAsync(table, row, cancellationToken);
        return new SeededCategoryRow(table, id, provider);
    }

    /// <summary>Uninstall and upgrade delete category rows by plugin id and tenant, not by identifier.</summary>
    public static async Task DeleteCategoryRowsAsync(SeedingSession session, Guid tenantId, string pluginId, PluginCategory category, CancellationToken cancellationToken)
    {
        if (category.InstallationTable() is { } table && session.Schema.HasTable(table))
        {
            await session.ExecuteAsync($"DELETE FROM {table} WHERE tenant_id = $1 AND plugin_id = $2", cancellationToken,
                (table, "tenant_id", tenantId), (table, "plugin_id", pluginId));
        }
    }

    /// <summary>A <c>serverless_runtimes</c> row, unique per identifier; its checksum is the identifier's (docs/daemon/database.md#tables).</summary>
    public static async Task<Guid> EnsureServerlessRuntimeAsync(SeedingSession session, PluginUniqueIdentifier identifier, DifyPackage package, CancellationToken cancellationToken)
    {
        var existing = await session.FirstRowAsync(
            "SELECT id FROM serverless_runtimes WHERE plugin_unique_identifier = $1", cancellationToken,
            ("serverless_runtimes", "plugin_unique_identifier", identifier.Value));
        if (existing?[0] is Guid id)
        {
            return id;
        }

        var function = $"{identifier.Author}-{identifier.Name}-{identifier.Version.Replace('.', '-')}-{identifier.Checksum[..8]}";
        var row = new List<(string, object?)>
        {
            ("plugin_unique_identifier", identifier.Value),
            ("function_url", $"https://{function}.lambda-url.us-east-1.on.aws/"),
            ("function_name", function),
            ("type", "serverless"),
            ("checksum", identifier.Checksum),
        };
        if (session.Requires("serverless_runtimes", "declaration"))
        {
            row.Add(("declaration", package.Declaration));
        }

        return await session.InsertAsync("serverless_runtimes", row, cancellationToken);
    }

    private static string CategoryBlock(DifyPackage package) =>
        JsonTree.Serialize(JsonNode.Parse(package.Declaration)![package.Category.DeclarationKey()!]!);
}
