using Npgsql;

namespace DbIntegrity.Core.Database;

/// <summary>Reads <see cref="DatabaseSchema"/> from the PostgreSQL catalogs of the connection's current schema.</summary>
public static class SchemaInspector
{
    private const string ColumnsSql = """
        SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod), NOT a.attnotnull,
               pg_get_expr(d.adbin, d.adrelid), a.attnum
        FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace
        JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
        LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
        WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')
        ORDER BY c.relname, a.attnum
        """;

    private const string IndexesSql = """
        SELECT i.relname, t.relname, ix.indisunique, ix.indisprimary,
               ARRAY(SELECT a.attname FROM unnest(ix.indkey) WITH ORDINALITY AS k(attnum, ord)
                     JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum ORDER BY k.ord),
               con.conname
        FROM pg_index ix
        JOIN pg_class i ON i.oid = ix.indexrelid
        JOIN pg_class t ON t.oid = ix.indrelid
        JOIN pg_namespace n ON n.oid = t.relnamespace
        LEFT JOIN pg_constraint con ON con.conindid = ix.indexrelid AND con.contype IN ('u', 'p')
        WHERE n.nspname = current_schema()
        ORDER BY t.relname, i.relname
        """;

    public static async Task<DatabaseSchema> InspectAsync(NpgsqlConnection connection, CancellationToken cancellationToken, NpgsqlTransaction? transaction = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        string schemaName;
        await using (var command = new NpgsqlCommand("SELECT current_schema()", connection, transaction))
        {
            schemaName = (string?)await command.ExecuteScalarAsync(cancellationToken) ?? "public";
        }

        var columns = new Dictionary<string, List<ColumnInfo>>(StringComparer.Ordinal);
        await using (var command = new NpgsqlCommand(ColumnsSql, connection, transaction))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var table = reader.GetString(0);
                if (!columns.TryGetValue(table, out var list))
                {
                    columns[table] = list = [];
                }

                list.Add(new ColumnInfo(reader.GetString(1), reader.GetString(2), reader.GetBoolean(3), reader.IsDBNull(4) ? null : reader.GetString(4), reader.GetInt16(5)));
            }
        }

        var indexes = new List<IndexInfo>();
        await using (var command = new NpgsqlCommand(IndexesSql, connection, transaction))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                indexes.Add(new IndexInfo(
                    reader.GetString(0), reader.GetString(1), reader.GetBoolean(2), reader.GetBoolean(3),
                    reader.GetFieldValue<string[]>(4), reader.IsDBNull(5) ? null : reader.GetString(5)));
            }
        }

        var tables = columns.ToDictionary(kv => kv.Key, kv => new TableInfo(kv.Key, kv.Value), StringComparer.Ordinal);
        return new DatabaseSchema(schemaName, tables, indexes);
    }
}
