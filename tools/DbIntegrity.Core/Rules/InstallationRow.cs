using System.Data.Common;
using DbIntegrity.Core.Database;
using DbIntegrity.Core.Packages;

namespace DbIntegrity.Core.Rules;

/// <summary>
/// A <c>plugin_installations</c> row as the identifier pass reads it, with the category rows of its tenant and plugin:
/// one (table, identifier) pair per row of tool_installations, ai_model_installations, … that has the same tenant_id
/// and plugin_id.
/// </summary>
internal sealed record InstallationRow(
    string Id, string? TenantId, string? PluginId, string Identifier, DateTimeOffset? Newest, string? RuntimeType,
    IReadOnlyList<(string Table, string Identifier)> CategoryRows)
{
    private static readonly string[] CategoryTables = [.. Enum.GetValues<PluginCategory>().Select(c => c.InstallationTable()).OfType<string>()];

    /// <summary>
    /// Installations with an identifier, ordered by it in UTF-8 byte order (COLLATE "C", the order the identifier
    /// pass merges in), each with its category rows. Each category table is aggregated once per tenant and plugin and
    /// hash-joined (a correlated subquery per installation and table cost an index probe each). A legacy table without
    /// plugin_unique_identifier keeps a correlated subquery, and its rows carry the installation's own identifier.
    /// </summary>
    public static string Sql(DatabaseSchema schema)
    {
        var tables = CategoryTables.Where(t => schema.HasColumn(t, "tenant_id") && schema.HasColumn(t, "plugin_id")).ToList();
        var joined = tables.Select((t, n) => (Table: t, Alias: $"c{n}")).Where(t => schema.HasColumn(t.Table, "plugin_unique_identifier")).ToList();
        var rows = tables.Count == 0
            ? "''"
            : "concat_ws(E'\\n', " + string.Join(", ", tables.Select((t, n) => joined.Any(j => j.Table == t)
                ? $"c{n}.rows"
                : $"(SELECT string_agg('{t}:' || coalesce(i.plugin_unique_identifier::text, ''), E'\\n') FROM {t} c WHERE c.tenant_id = i.tenant_id AND c.plugin_id = i.plugin_id)")) + ")";
        var joins = string.Concat(joined.Select(j => $"""

            LEFT JOIN (SELECT c.tenant_id, c.plugin_id, string_agg('{j.Table}:' || coalesce(c.plugin_unique_identifier::text, ''), E'\n') AS rows
                       FROM {j.Table} c GROUP BY c.tenant_id, c.plugin_id) {j.Alias} ON {j.Alias}.tenant_id = i.tenant_id AND {j.Alias}.plugin_id = i.plugin_id
            """));
        var runtime = schema.HasColumn("plugin_installations", "runtime_type") ? "i.runtime_type::text" : "NULL::text";
        return $"""
            SELECT i.id::text, i.tenant_id::text, i.plugin_id::text, i.plugin_unique_identifier::text,
                   greatest(i.created_at, i.updated_at), {runtime}, {rows}
            FROM plugin_installations i{joins}
            WHERE i.plugin_unique_identifier IS NOT NULL
            ORDER BY i.plugin_unique_identifier COLLATE "C", i.id
            """;
    }

    public static InstallationRow Read(DbDataReader row) => new(
        RowValues.Text(row, 0)!,
        RowValues.Text(row, 1),
        RowValues.Text(row, 2),
        RowValues.Text(row, 3)!,
        RowValues.Time(row, 4),
        RowValues.Text(row, 5),
        CategoryLines(RowValues.Text(row, 6)));

    private static List<(string Table, string Identifier)> CategoryLines(string? text)
    {
        var rows = new List<(string Table, string Identifier)>();
        foreach (var line in (text ?? string.Empty).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            rows.Add((line[..colon], line[(colon + 1)..]));
        }

        return rows;
    }
}
