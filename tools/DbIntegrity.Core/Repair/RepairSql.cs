using System.Text.Json;
using DbIntegrity.Core.Database;
using Npgsql;
using NpgsqlTypes;

namespace DbIntegrity.Core.Repair;

/// <summary>
/// The few queries repair runs, built from <see cref="RepairTables"/>-checked names. Rows are compared as
/// <c>row_to_json</c> text with the session time zone set to UTC, so a plan made on one machine compares equal on another.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA2100", Justification = "Names come from RepairTables (allowlist + schema); values are parameters.")]
internal static class RepairSql
{
    /// <summary>Run first in every repair transaction.</summary>
    public const string SessionSetup = "SET LOCAL TIME ZONE 'UTC'";

    public static async Task<JsonElement?> RowAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, DatabaseSchema schema, string table, string id, bool forUpdate, CancellationToken cancellationToken)
    {
        var sql = $"SELECT row_to_json(x)::text FROM {RepairTables.Table(schema, table)} x WHERE x.id::text = $1{(forUpdate ? " FOR UPDATE NOWAIT" : string.Empty)}";
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = id, NpgsqlDbType = NpgsqlDbType.Text });
        var text = await command.ExecuteScalarAsync(cancellationToken) as string;
        return text is null ? null : RowJson.Parse(text);
    }

    public static async Task<IReadOnlyList<JsonElement>> RowsAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, DatabaseSchema schema, string table, IReadOnlyDictionary<string, string?> where, CancellationToken cancellationToken)
    {
        var order = schema.HasColumn(table, "created_at") ? "x.created_at, x.id::text" : "x.id::text";
        await using var command = Filtered(connection, transaction, schema, table, where, $"SELECT row_to_json(x)::text FROM {RepairTables.Table(schema, table)} x", $" ORDER BY {order}");
        var rows = new List<JsonElement>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(RowJson.Parse(reader.GetString(0)));
        }

        return rows;
    }

    public static async Task<long> CountAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, DatabaseSchema schema, string table, IReadOnlyDictionary<string, string?> where, CancellationToken cancellationToken)
    {
        await using var command = Filtered(connection, transaction, schema, table, where, $"SELECT count(*) FROM {RepairTables.Table(schema, table)} x", string.Empty);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>
    /// Takes SHARE locks on the tables whose row counts a plan relies on: readers go on, writers (the daemon's installs
    /// and uninstalls) wait until the repair transaction ends, so a counted "no installation" cannot change under it.
    /// Every repair lock is NOWAIT: repair never waits for a lock while holding one, so it can never be part of a
    /// deadlock with the daemon; when the daemon is writing, the transaction is rolled back and tried again.
    /// </summary>
    public static async Task LockForCountingAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, DatabaseSchema schema, IEnumerable<string> tables, CancellationToken cancellationToken)
    {
        foreach (var table in tables.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            await using var command = new NpgsqlCommand($"LOCK TABLE {RepairTables.Table(schema, table)} IN SHARE MODE NOWAIT", connection, transaction);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>
    /// Holds off installs while an object is deleted: SHARE locks (NOWAIT) on <c>plugins</c> and, when the schema has
    /// it, <c>install_tasks</c>, the two tables an install writes (reference §3.4). Readers go on.
    /// </summary>
    public static async Task LockAgainstInstallsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, DatabaseSchema schema, CancellationToken cancellationToken)
    {
        await LockForCountingAsync(connection, transaction, schema, ["plugins"], cancellationToken);
        if (schema.HasColumn("install_tasks", "plugins"))
        {
            await using var command = new NpgsqlCommand("LOCK TABLE \"install_tasks\" IN SHARE MODE NOWAIT", connection, transaction);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>
    /// The id of an install task that names the identifier and has not ended (any status but success and failed, so a
    /// status outside the daemon's vocabulary counts as running: internal/types/models/task.go), or null. The plugins column is JSON
    /// text (reference §1.4); a plain substring test also covers a task whose JSON does not parse. A task not updated
    /// for an hour is a leftover of a daemon that stopped mid-install (installs time out after minutes), not an install.
    /// </summary>
    public static async Task<string?> RunningInstallTaskAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, DatabaseSchema schema, string identifier, CancellationToken cancellationToken)
    {
        if (!schema.HasColumn("install_tasks", "plugins") || !schema.HasColumn("install_tasks", "status"))
        {
            return null;
        }

        var recent = schema.HasColumn("install_tasks", "updated_at") ? " AND t.updated_at > now() - interval '1 hour'" : string.Empty;
        await using var command = new NpgsqlCommand(
            $"SELECT t.id::text FROM \"install_tasks\" t WHERE t.status IS DISTINCT FROM 'success' AND t.status IS DISTINCT FROM 'failed' AND strpos(t.plugins, $1) > 0{recent} LIMIT 1", connection, transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = identifier, NpgsqlDbType = NpgsqlDbType.Text });
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    public static async Task DeleteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, DatabaseSchema schema, string table, string id, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"DELETE FROM {RepairTables.Table(schema, table)} x WHERE x.id::text = $1", connection, transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = id, NpgsqlDbType = NpgsqlDbType.Text });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Sets columns from JSON values; json_populate_record converts each to the column's own type.</summary>
    public static async Task UpdateAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, DatabaseSchema schema, string table, string id, IReadOnlyDictionary<string, JsonElement> set, CancellationToken cancellationToken)
    {
        var quoted = RepairTables.Table(schema, table);
        var columns = set.Keys.Select(c => RepairTables.Column(schema, table, c)).ToList();
        var sql = $"UPDATE {quoted} x SET ({string.Join(", ", columns)}) = (SELECT {string.Join(", ", columns.Select(c => "v." + c))} FROM json_populate_record(NULL::{quoted}, $2::json) v) WHERE x.id::text = $1";
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = id, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = JsonSerializer.Serialize(set), NpgsqlDbType = NpgsqlDbType.Text });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public static async Task InsertAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, DatabaseSchema schema, string table, IReadOnlyDictionary<string, JsonElement> values, CancellationToken cancellationToken)
    {
        var quoted = RepairTables.Table(schema, table);
        var columns = values.Keys.Select(c => RepairTables.Column(schema, table, c)).ToList();
        var selected = columns.Select(c => "v." + c).ToList();
        foreach (var stamp in new[] { "created_at", "updated_at" }.Where(c => schema.HasColumn(table, c) && !values.ContainsKey(c)))
        {
            columns.Add(SqlIdentifier.Quote(stamp));
            selected.Add("now()");
        }

        var sql = $"INSERT INTO {quoted} ({string.Join(", ", columns)}) SELECT {string.Join(", ", selected)} FROM json_populate_record(NULL::{quoted}, $1::json) v";
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = JsonSerializer.Serialize(values), NpgsqlDbType = NpgsqlDbType.Text });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static NpgsqlCommand Filtered(
        NpgsqlConnection connection, NpgsqlTransaction transaction, DatabaseSchema schema, string table, IReadOnlyDictionary<string, string?> where, string select, string suffix)
    {
        var command = new NpgsqlCommand { Connection = connection, Transaction = transaction };
        var conditions = new List<string>();
        foreach (var (column, value) in where.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            var quoted = RepairTables.Column(schema, table, column);
            if (value is null)
            {
                conditions.Add($"x.{quoted} IS NULL");
            }
            else
            {
                command.Parameters.Add(new NpgsqlParameter { Value = value, NpgsqlDbType = NpgsqlDbType.Text });
                conditions.Add($"x.{quoted}::text = ${command.Parameters.Count}");
            }
        }

        command.CommandText = select + (conditions.Count > 0 ? " WHERE " + string.Join(" AND ", conditions) : string.Empty) + suffix;
        return command;
    }
}
