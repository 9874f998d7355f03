using System.Text;
using DbIntegrity.Core.Database;

namespace DbIntegrity.Core.Repair;

/// <summary>
/// restore.sql of a repair backup: one transaction that puts every changed row back exactly as it was. Deleted rows are
/// inserted again, updated rows are replaced by their earlier content, inserted rows are deleted. Rows are rebuilt with
/// <c>json_populate_record</c> from the same <c>row_to_json</c> text the backup holds, so every column (legacy ones too)
/// comes back with its own type and value. Tables are qualified with the schema repair scanned, so the script restores
/// the same tables whatever the search_path of the session that runs it.
/// </summary>
internal static class RestoreScript
{
    // One line per row; the text is only ever parsed by PostgreSQL, so nothing needs HTML-safe escaping.
    private static readonly System.Text.Json.JsonSerializerOptions Compact = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Build(string backupId, string database, string schema, IEnumerable<RowChange> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        ArgumentException.ThrowIfNullOrEmpty(schema);
        var sql = new StringBuilder();
        sql.AppendLine($"-- Repair backup {backupId}: puts back the rows that the repair changed in {database}, schema {schema}.");
        sql.AppendLine("-- Run it against that database with a role that may write these tables, e.g.:");
        sql.AppendLine("--   psql \"$DATABASE_URL\" -v ON_ERROR_STOP=1 -f restore.sql");
        sql.AppendLine("-- It fails (and changes nothing) if a row it inserts exists again: look before you force anything.");
        sql.AppendLine("SET standard_conforming_strings = on;");
        sql.AppendLine("BEGIN;");
        foreach (var change in changes)
        {
            var table = SqlIdentifier.Quote(schema) + "." + SqlIdentifier.Quote(change.Table);
            sql.AppendLine($"-- {change.Fix}: {change.Change.ToString().ToLowerInvariant()} {change.Table} {change.Id}");
            if (change.Change != RowChangeKind.Deleted)
            {
                sql.AppendLine($"DELETE FROM {table} WHERE id::text = {Literal(change.Id)};");
            }

            if (change.Change != RowChangeKind.Inserted)
            {
                var before = change.Before ?? throw new InvalidOperationException($"No earlier content for {change.Table} {change.Id}.");
                sql.AppendLine($"INSERT INTO {table} SELECT * FROM json_populate_record(NULL::{table}, {Literal(System.Text.Json.JsonSerializer.Serialize(before, Compact))}::json);");
            }
        }

        sql.AppendLine("COMMIT;");
        return sql.ToString();
    }

    private static string Literal(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
}
