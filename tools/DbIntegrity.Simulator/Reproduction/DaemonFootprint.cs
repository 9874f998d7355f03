using System.Diagnostics.CodeAnalysis;
using DbIntegrity.Core;
using DbIntegrity.Core.Configuration;
using DbIntegrity.Core.Database;
using DbIntegrity.Core.Deployments;
using DbIntegrity.Core.Migrating;
using DbIntegrity.Core.Storage;
using Npgsql;

namespace DbIntegrity.Simulator.Reproduction;

/// <summary>
/// What a scenario owns, and so what <c>reproduce --force</c> may wipe: the rows of the daemon's tables (every table
/// a daemon release creates, legacy ones included, docs/daemon/database.md#migrations and docs/daemon/database.md#schema-history) and the objects under the daemon's four
/// prefixes (<c>PLUGIN_INSTALLED_PATH</c>, <c>PLUGIN_PACKAGE_CACHE_PATH</c>, <c>PLUGIN_MEDIA_CACHE_PATH</c>,
/// <c>PERSISTENCE_STORAGE_PATH</c>, docs/daemon/storage.md#settings-docs/daemon/storage.md#key-layout). Never anything else: other tables (DbIntegrity's own version table,
/// check runs and baselines included) keep their rows and the table definitions stay; other keys in the bucket stay.
/// </summary>
public sealed class DaemonFootprint
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly IObjectReader _reader;
    private readonly StorageLayout _layout;

    public DaemonFootprint(DeploymentReader deployment)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        (_dataSource, _reader, _layout) = deployment;
    }

    /// <summary>The listing prefixes (with their trailing '/') of the daemon's objects.</summary>
    public IReadOnlyList<string> Prefixes =>
    [
        StorageLayout.ListingPrefix(_layout.InstalledPath),
        StorageLayout.ListingPrefix(_layout.PackagePath),
        StorageLayout.ListingPrefix(_layout.MediaPath),
        StorageLayout.ListingPrefix(_layout.PersistencePath),
    ];

    /// <summary>Which daemon tables have rows and which prefixes have objects; stops at the first object of each prefix.</summary>
    public async Task<FootprintContents> InspectAsync(CancellationToken cancellationToken)
    {
        var tables = new List<string>();
        await using (var connection = await OpenAsync(cancellationToken))
        {
            foreach (var table in await DaemonTablesAsync(connection, cancellationToken))
            {
                await using var command = Command($"SELECT EXISTS (SELECT 1 FROM {SqlIdentifier.Quote(table)})", connection);
                if (await command.ExecuteScalarAsync(cancellationToken) is true)
                {
                    tables.Add(table);
                }
            }
        }

        var prefixes = new List<string>();
        foreach (var prefix in Prefixes)
        {
            await foreach (var _ in _reader.ListAsync(prefix, cancellationToken))
            {
                prefixes.Add(prefix);
                break;
            }
        }

        return new FootprintContents(tables, prefixes);
    }

    /// <summary>
    /// Empties the daemon's tables (one TRUNCATE, in one transaction) and deletes every object under the daemon's
    /// prefixes. The bucket part is not atomic: an interrupted wipe leaves some objects, and a rerun finishes it.
    /// </summary>
    public async Task<WipeResult> WipeAsync(IObjectWriter writer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(writer);
        IReadOnlyList<string> tables;
        await using (var connection = await OpenAsync(cancellationToken))
        {
            tables = await DaemonTablesAsync(connection, cancellationToken);
            if (tables.Count > 0)
            {
                await using var command = Command($"TRUNCATE {string.Join(", ", tables.Select(SqlIdentifier.Quote))}", connection);
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        var deleted = 0;
        foreach (var prefix in Prefixes)
        {
            // Deleting behind the listing is safe: S3 continues after the last key it returned.
            await foreach (var entry in _reader.ListAsync(prefix, cancellationToken))
            {
                await writer.DeleteAsync(entry.Key, cancellationToken);
                deleted++;
            }
        }

        return new WipeResult(tables, deleted);
    }

    private async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _dataSource.OpenConnectionAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            throw new UnavailableException("database", $"cannot open a connection to read or wipe the daemon tables: {ex.Message}", ex);
        }
    }

    private static async Task<IReadOnlyList<string>> DaemonTablesAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var schema = await SchemaInspector.InspectAsync(connection, cancellationToken);
        return [.. schema.Tables.Keys.Where(UpstreamSchemas.DaemonTableNames.Contains).Order(StringComparer.Ordinal)];
    }

    [SuppressMessage("Security", "CA2100", Justification = "Table names come from the inspected schema, filtered by the known daemon table names, and are quoted.")]
    private static NpgsqlCommand Command(string sql, NpgsqlConnection connection) => new(sql, connection);

}
