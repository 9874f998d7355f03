using DbIntegrity.Core.Configuration;
using DbIntegrity.Core.Storage;
using Npgsql;

namespace DbIntegrity.Benchmarks;

/// <summary>
/// What any check must at least do: read once the columns the scan reads (<c>COPY … TO STDOUT</c>, nothing parsed or
/// compared) and list the three prefixes. The scan's time divided by this is its overhead.
/// </summary>
internal static class Floor
{
    // The columns the scan's queries read (Scanning/IdentifierPass.cs and the database rules), per table.
    private static readonly (string Table, string Columns)[] Reads =
    [
        ("plugins", "id, plugin_unique_identifier, plugin_id, install_type, refers, remote_declaration, created_at, updated_at"),
        ("plugin_declarations", "id, plugin_unique_identifier, plugin_id, declaration, created_at, updated_at"),
        ("plugin_installations", "id, tenant_id, plugin_id, plugin_unique_identifier, runtime_type, created_at, updated_at"),
        ("tool_installations", "id, tenant_id, plugin_id, plugin_unique_identifier, provider, created_at, updated_at"),
        ("ai_model_installations", "id, tenant_id, plugin_id, plugin_unique_identifier, provider, created_at, updated_at"),
        ("agent_strategy_installations", "id, tenant_id, plugin_id, plugin_unique_identifier, provider, created_at, updated_at"),
        ("datasource_installations", "id, tenant_id, plugin_id, plugin_unique_identifier, provider, created_at, updated_at"),
        ("trigger_installations", "id, tenant_id, plugin_id, plugin_unique_identifier, provider, created_at, updated_at"),
        ("endpoints", "id, tenant_id, plugin_id, created_at, updated_at"),
        ("plugin_readme_records", "id, plugin_unique_identifier, language, created_at, updated_at"),
    ];

    /// <summary>Reads the columns and lists the prefixes; returns the bytes copied and the objects listed.</summary>
    public static async Task<(long Bytes, long Objects)> RunAsync(NpgsqlDataSource dataSource, IObjectReader storage, StorageLayout layout, CancellationToken cancellationToken)
    {
        long bytes = 0;
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        {
            var existing = await ExistingColumnsAsync(connection, cancellationToken);
            var buffer = new byte[1 << 16];
            foreach (var (table, wanted) in Reads.Where(r => existing.ContainsKey(r.Table)))
            {
                var columns = string.Join(", ", wanted.Split(", ").Where(existing[table].Contains));
                await using var copy = await connection.BeginRawBinaryCopyAsync($"COPY (SELECT {columns} FROM {table}) TO STDOUT (FORMAT BINARY)", cancellationToken);
                int read;
                while ((read = await copy.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    bytes += read;
                }
            }
        }

        long objects = 0;
        foreach (var path in new[] { layout.InstalledPath, layout.PackagePath, layout.MediaPath })
        {
            await foreach (var _ in storage.ListAsync(StorageLayout.ListingPrefix(path), cancellationToken))
            {
                objects++;
            }
        }

        return (bytes, objects);
    }

    private static async Task<Dictionary<string, HashSet<string>>> ExistingColumnsAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var tables = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        await using var command = new NpgsqlCommand("SELECT table_name::text, column_name::text FROM information_schema.columns WHERE table_schema = current_schema()", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var table = reader.GetString(0);
            if (!tables.TryGetValue(table, out var columns))
            {
                tables[table] = columns = new HashSet<string>(StringComparer.Ordinal);
            }

            columns.Add(reader.GetString(1));
        }

        return tables;
    }
}
