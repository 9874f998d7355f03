using System.Security.Cryptography;
using System.Text;
using DbIntegrity.Core.Configuration;
using Npgsql;

namespace DbIntegrity.Core.Migrating;

/// <summary>
/// Checksums of the SQL each migration runs up, as FluentMigrator generates it (a preview runner logs the statements
/// without executing them), and their table <c>dbintegrity_migration_checksums</c>. <c>migrate up</c> records the
/// checksum of each migration it applies; the gate recomputes it from the build it runs and reports a difference as
/// a migration edited after it was applied. FluentMigrator itself keeps only ids; Flyway and Atlas keep checksums.
/// </summary>
internal static class MigrationChecksums
{
    public const string Table = "dbintegrity_migration_checksums";

    private const string ExistsSql = $"SELECT to_regclass(quote_ident(current_schema()) || '.{Table}') IS NOT NULL";

    /// <summary>Generates the up SQL of each migration with a preview runner (nothing is executed) and hashes it.</summary>
    public static IReadOnlyDictionary<long, MigrationChecksum> Compute(
        DatabaseSettings settings, string schemaName, MigrationCatalog catalog, IEnumerable<MigrationDescriptor> migrations)
    {
        using var host = MigrationRunnerHost.Create(settings, schemaName, preview: true, catalog);
        var instances = host.Migrations;
        host.Sql.Take();
        var checksums = new Dictionary<long, MigrationChecksum>();
        foreach (var migration in migrations)
        {
            host.Runner.Up(instances[migration.Id].Migration);
            checksums[migration.Id] = Of(host.Sql.Take());
        }

        return checksums;
    }

    /// <summary>
    /// SHA-256 over the statements, each trimmed and with its line endings made <c>\n</c>, joined by a line holding only
    /// <c>;</c>: whitespace at the edges and the platform's line endings do not change it; any other edit does.
    /// </summary>
    public static MigrationChecksum Of(IReadOnlyList<string> statements)
    {
        ArgumentNullException.ThrowIfNull(statements);
        var text = string.Join("\n;\n", statements.Select(s => s.Replace("\r\n", "\n", StringComparison.Ordinal).Trim()));
        return new MigrationChecksum(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text))), statements.Count);
    }

    public static async Task<bool> TableExistsAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(ExistsSql, connection, transaction);
        return await command.ExecuteScalarAsync(cancellationToken) is true;
    }

    /// <summary>Records the checksums of migrations just applied, inside the run's transaction, when the table exists by then.</summary>
    public static async Task RecordAsync(MigrationRunnerHost host, IReadOnlyDictionary<long, MigrationChecksum> checksums, CancellationToken cancellationToken)
    {
        if (checksums.Count == 0 || !await TableExistsAsync(host.NpgsqlConnection, host.NpgsqlTransaction, cancellationToken))
        {
            return;
        }

        foreach (var (id, checksum) in checksums)
        {
            await host.ExecuteAsync(
                $"""
                INSERT INTO {Table} (version, checksum, statements, recorded_at, tool_version) VALUES ($1, $2, $3, now(), $4)
                ON CONFLICT (version) DO UPDATE SET checksum = EXCLUDED.checksum, statements = EXCLUDED.statements,
                    recorded_at = EXCLUDED.recorded_at, tool_version = EXCLUDED.tool_version
                """,
                [id, checksum.Sha256, checksum.Statements, ToolVersion.Current], cancellationToken);
        }
    }

    /// <summary>Forgets the checksums of migrations just reverted (a later up records them again).</summary>
    public static async Task ForgetAsync(MigrationRunnerHost host, IEnumerable<long> ids, CancellationToken cancellationToken)
    {
        if (!await TableExistsAsync(host.NpgsqlConnection, host.NpgsqlTransaction, cancellationToken))
        {
            return;
        }

        await host.ExecuteAsync($"DELETE FROM {Table} WHERE version = ANY($1)", [ids.ToArray()], cancellationToken);
    }

    /// <summary>The stored checksums, or null when this database has no checksum table (a version before migration 1000000001).</summary>
    public static async Task<IReadOnlyDictionary<long, StoredChecksum>?> ReadAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        if (!await TableExistsAsync(connection, transaction, cancellationToken))
        {
            return null;
        }

        var stored = new Dictionary<long, StoredChecksum>();
        await using var command = new NpgsqlCommand($"SELECT version, checksum, statements, recorded_at, tool_version FROM {Table}", connection, transaction);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var id = reader.GetInt64(0);
            stored[id] = new StoredChecksum(
                id, new MigrationChecksum(reader.GetString(1).Trim(), reader.GetInt32(2)), reader.GetFieldValue<DateTimeOffset>(3), reader.IsDBNull(4) ? null : reader.GetString(4));
        }

        return stored;
    }
}
