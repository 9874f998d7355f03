using DbIntegrity.Core.Database;
using DbIntegrity.IntegrationTests.Infrastructure;

namespace DbIntegrity.IntegrationTests.Gate;

/// <summary>
/// Everything a blocked run must leave as it was: every table's columns and indexes and every row (the version table
/// and the checksums included), as comparable lines. Only <c>dbintegrity_check_runs</c> rows are left out: recording
/// the run there is the gate's one allowed write.
/// </summary>
internal static class DatabaseState
{
    public const string CheckRuns = "dbintegrity_check_runs";

    public static async Task<IReadOnlyList<string>> CaptureAsync(TestDatabase database)
    {
        DatabaseSchema schema;
        await using (var connection = await database.DataSource.OpenConnectionAsync())
        {
            schema = await SchemaInspector.InspectAsync(connection, CancellationToken.None);
        }

        var lines = new List<string>();
        foreach (var table in schema.Tables.Values.OrderBy(t => t.Name, StringComparer.Ordinal))
        {
            lines.AddRange(table.Columns.OrderBy(c => c.Position).Select(c => $"{table.Name}.{c.Name} {c.DataType} {(c.IsNullable ? "NULL" : "NOT NULL")} {c.Default}"));
        }

        lines.AddRange(schema.Indexes.OrderBy(i => i.Name, StringComparer.Ordinal).Select(i => $"index {i.Name} ON {i.Table}({string.Join(",", i.Columns)}) unique={i.IsUnique}"));
        foreach (var table in schema.Tables.Keys.Where(t => t != CheckRuns).Order(StringComparer.Ordinal))
        {
            await using var command = database.DataSource.CreateCommand($"SELECT '{table} ' || row_to_json(r)::text FROM \"{table}\" r ORDER BY 1");
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                lines.Add(reader.GetString(0));
            }
        }

        return lines;
    }

    /// <summary>The recorded gate runs, oldest first: command and outcome.</summary>
    public static async Task<IReadOnlyList<(string Command, string Outcome)>> CheckRunsAsync(TestDatabase database)
    {
        var runs = new List<(string, string)>();
        await using var command = database.DataSource.CreateCommand($"SELECT command, outcome FROM {CheckRuns} ORDER BY id");
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            runs.Add((reader.GetString(0), reader.GetString(1)));
        }

        return runs;
    }
}
