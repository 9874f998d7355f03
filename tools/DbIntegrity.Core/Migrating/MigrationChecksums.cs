using System.Security.Cryptography;
using System.Text;
using DbIntegrity.Core.Configuration;
using Npgsql;

namespace DbIntegrity.Core.Migrating;

/// <summary>
/// Checksums of the SQL each migration runs up and down, as FluentMigrator generates it (a preview runner logs the
/// statements without executing them), and their table <c>dbintegrity_migration_checksums</c>. Every <c>migrate up</c>
/// (gated or not, to any target) records the checksums of the migrations it applies; the gate recomputes them from the
/// build it runs and reports a difference as a migration edited after it was applied. FluentMigrator itself keeps only
/// ids; Flyway and Atlas keep checksums.
/// <para>
/// The table is the runner's metadata, like the version table: the run creates it (<c>CREATE TABLE IF NOT EXISTS</c>)
/// in its own transaction before it records, rather than a migration of the chain. A migration would only exist from
/// its id on, and <c>migrate up --to &lt;daemon version&gt;</c> never reaches an operator id, so the upstream migrations
/// such a run applied would have no checksum at all.
/// </para>
/// </summary>
internal static class MigrationChecksums
{
    public const string Table = "dbintegrity_migration_checksums";

    private const string ExistsSql = $"SELECT to_regclass(quote_ident(current_schema()) || '.{Table}') IS NOT NULL";

    // The table and the columns added since it was first shipped; both idempotent, inside the run's transaction.
    private const string CreateSql = $"""
        CREATE TABLE IF NOT EXISTS {Table} (
            version bigint NOT NULL PRIMARY KEY,
            checksum varchar(64) NOT NULL,
            statements integer NOT NULL,
            recorded_at timestamptz NOT NULL DEFAULT now(),
            tool_version varchar(64),
            down_checksum varchar(64));
        ALTER TABLE {Table} ADD COLUMN IF NOT EXISTS down_checksum varchar(64)
        """;

    /// <summary>Generates the up and down SQL of each migration with a preview runner (nothing is executed) and hashes them.</summary>
    public static IReadOnlyDictionary<long, MigrationChecksum> Compute(
        DatabaseSettings settings, string schemaName, MigrationCatalog catalog, IEnumerable<MigrationDescriptor> migrations)
    {
        using var host = MigrationRunnerHost.Create(settings, schemaName, preview: true, catalog);
        var instances = host.Migrations;
        host.Sql.Take();
        var checksums = new Dictionary<long, MigrationChecksum>();
        foreach (var migration in migrations)
        {
            var instance = instances[migration.Id].Migration;
            host.Runner.Up(instance);
            var up = host.Sql.Take();
            host.Runner.Down(instance);
            checksums[migration.Id] = Of(up) with { DownSha256 = Of(host.Sql.Take()).Sha256 };
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

    /// <summary>Records the checksums of migrations just applied, inside the run's transaction, creating the table first when needed.</summary>
    public static async Task RecordAsync(MigrationRunnerHost host, IReadOnlyDictionary<long, MigrationChecksum> checksums, CancellationToken cancellationToken)
    {
        if (checksums.Count == 0)
        {
            return;
        }

        await host.ExecuteAsync(CreateSql, [], cancellationToken);

        foreach (var (id, checksum) in checksums)
        {
            await host.ExecuteAsync(
                $"""
                INSERT INTO {Table} (version, checksum, statements, recorded_at, tool_version, down_checksum) VALUES ($1, $2, $3, now(), $4, $5)
                ON CONFLICT (version) DO UPDATE SET checksum = EXCLUDED.checksum, statements = EXCLUDED.statements,
                    recorded_at = EXCLUDED.recorded_at, tool_version = EXCLUDED.tool_version, down_checksum = EXCLUDED.down_checksum
                """,
                [id, checksum.Sha256, checksum.Statements, ToolVersion.Current, checksum.DownSha256], cancellationToken);
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

    /// <summary>Drops the table: <c>migrate down --to 0</c> leaves no DbIntegrity table behind.</summary>
    public static Task DropAsync(MigrationRunnerHost host, CancellationToken cancellationToken) =>
        host.ExecuteAsync($"DROP TABLE IF EXISTS {Table}", [], cancellationToken);

    /// <summary>The stored checksums, or null when this database has no checksum table (no dbintegrity run recorded any).</summary>
    public static async Task<IReadOnlyDictionary<long, StoredChecksum>?> ReadAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        if (!await TableExistsAsync(connection, transaction, cancellationToken))
        {
            return null;
        }

        var stored = new Dictionary<long, StoredChecksum>();
        // down_checksum through jsonb: a table written by an older build lacks the column until the next migrate up adds it.
        await using var command = new NpgsqlCommand(
            $"SELECT version, checksum, statements, recorded_at, tool_version, to_jsonb(c) ->> 'down_checksum' FROM {Table} c", connection, transaction);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var id = reader.GetInt64(0);
            stored[id] = new StoredChecksum(
                id,
                new MigrationChecksum(reader.GetString(1).Trim(), reader.GetInt32(2), reader.IsDBNull(5) ? null : reader.GetString(5).Trim()),
                reader.GetFieldValue<DateTimeOffset>(3),
                reader.IsDBNull(4) ? null : reader.GetString(4));
        }

        return stored;
    }
}
