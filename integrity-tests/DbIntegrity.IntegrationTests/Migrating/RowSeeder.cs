using System.Globalization;
using System.Security.Cryptography;
using DbIntegrity.Core.Database;
using DbIntegrity.IntegrationTests.Infrastructure;

namespace DbIntegrity.IntegrationTests.Migrating;

/// <summary>
/// Inserts one realistic row into every daemon table a schema has, whatever its version: values follow the column
/// names of docs/daemon/database.md#tables (identifiers like <c>author/name:version@sha256</c>, JSON declarations, UUIDv7 ids), so a
/// new migration is covered without touching this file. Each call writes distinct identifiers, so rows accumulate
/// without breaking unique indexes. Like the daemon since 0.0.3, it leaves nullable legacy declarations NULL.
/// </summary>
internal static class RowSeeder
{
    private static int _sequence;

    public static async Task SeedAsync(TestDatabase database, DatabaseSchema schema)
    {
        var n = Interlocked.Increment(ref _sequence);
        var pluginId = $"langgenius/plugin_{n}";
        var identifier = $"{pluginId}:0.{n}.0@{Convert.ToHexStringLower(SHA256.HashData(BitConverter.GetBytes(n)))}";
        var tenant = Guid.NewGuid();
        foreach (var table in schema.Tables.Values.Where(t => SchemaSnapshot.IsDaemonTable(t.Name)).OrderBy(t => t.Name, StringComparer.Ordinal))
        {
            var columns = table.Columns.Where(c => Value(table.Name, c, pluginId, identifier, tenant, n) is not null).ToList();
            var values = columns.Select(c => $"{Literal(Value(table.Name, c, pluginId, identifier, tenant, n)!)}::{c.DataType}");
            await database.ExecuteAsync(
                $"INSERT INTO \"{table.Name}\" ({string.Join(", ", columns.Select(c => $"\"{c.Name}\""))}) VALUES ({string.Join(", ", values)})");
        }
    }

    private static string? Value(string table, ColumnInfo column, string pluginId, string identifier, Guid tenant, int n) => column.Name switch
    {
        "id" when column.DataType == "uuid" => Guid.CreateVersion7().ToString(),
        "id" => null,
        "created_at" or "updated_at" or "started_at" => "2025-12-01T10:00:00Z",
        "plugin_unique_identifier" => identifier,
        "plugin_id" => pluginId,
        "tenant_id" => tenant.ToString(),
        "user_id" => Guid.NewGuid().ToString(),
        "provider" => $"plugin_{n}",
        "install_type" or "runtime_type" => "local",
        "manifest_type" => "plugin",
        "refers" => "1",
        "declaration" when table == "plugin_declarations" => $$"""{"version":"0.{{n}}.0","type":"plugin","author":"langgenius","name":"plugin_{{n}}","icon":"icon.svg"}""",
        "declaration" when column.IsNullable => null,
        "declaration" or "remote_declaration" => $$"""{"version":"0.{{n}}.0","type":"plugin","author":"langgenius","name":"plugin_{{n}}"}""",
        "source" => "marketplace",
        "meta" or "settings" => "{}",
        "name" => "default",
        "hook_id" => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)),
        "expired_at" => "2050-01-01T00:00:00Z",
        "enabled" => "true",
        "function_url" => $"https://lambda.example.com/plugin_{n}",
        "function_name" => $"plugin-{n}",
        "type" => "serverless",
        "checksum" => identifier[(identifier.IndexOf('@', StringComparison.Ordinal) + 1)..],
        "status" => "success",
        "total_plugins" or "completed_plugins" => "1",
        "plugins" => $$"""[{"plugin_unique_identifier":"{{identifier}}","plugin_id":"{{pluginId}}","status":"success","message":""}]""",
        "size" => "1024",
        "language" => "en_US",
        "content" => $"# plugin_{n}",
        _ => column.DataType switch
        {
            "uuid" => Guid.NewGuid().ToString(),
            "boolean" => "false",
            "bigint" or "integer" => n.ToString(CultureInfo.InvariantCulture),
            "timestamp with time zone" => "2025-12-01T10:00:00Z",
            "jsonb" => "{}",
            _ when column.IsNullable => null,
            _ => $"value {n}",
        },
    };

    private static string Literal(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
}
