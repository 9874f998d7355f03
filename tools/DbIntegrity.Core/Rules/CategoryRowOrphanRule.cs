using System.Data.Common;
using DbIntegrity.Core.Database;
using DbIntegrity.Core.Packages;

namespace DbIntegrity.Core.Rules;

/// <summary>
/// A category row (tool_installations, ai_model_installations, …) with no installation of the same tenant and plugin
/// (docs/daemon/database.md#invariants item 4: uninstall deletes both together, so one without the other is left over from a failure).
/// Install writes exactly one row per installation (docs/daemon/database.md#invariants item 4, docs/daemon/rules.md#category-rows; the tables have no unique index), so rows beyond
/// the tenant's number of installations of the plugin are reported too: the row matching the installed version (then
/// the oldest) is kept as the installation's, the others have no installation of their own.
/// </summary>
internal sealed class CategoryRowOrphanRule : IDatabaseRule
{
    public RuleDescriptor Descriptor { get; } = new()
    {
        Id = "category-row-orphan",
        Severity = Severity.Error,
        Summary = "A per-category installation row has no plugin_installations row for its tenant and plugin.",
        RequiredColumns = new Dictionary<string, string[]> { ["plugin_installations"] = ["tenant_id", "plugin_id"] },
    };

    public string BuildSql(DatabaseSchema schema)
    {
        var parts = Enum.GetValues<PluginCategory>().Select(c => c.InstallationTable()).OfType<string>()
            .Where(t => schema.HasColumn(t, "tenant_id") && schema.HasColumn(t, "plugin_id"))
            .Select(t => $"""
                SELECT '{t}'::text, c.id::text, c.tenant_id::text, c.plugin_id::text, c.plugin_unique_identifier::text,
                       greatest(c.created_at, c.updated_at), c.provider::text, CASE WHEN c.installations > 0 THEN c.kept END
                FROM (-- Tenants and plugins with more rows here than installations (none at all included), found by
                      -- counting both sides once and hash-joining the counts, first (MATERIALIZED: the planner otherwise
                      -- joins every row to the counts before filtering); only their rows are ranked below.
                      WITH s AS MATERIALIZED (
                          SELECT g.tenant_id, g.plugin_id, coalesce(i.n, 0) AS installations
                          FROM (SELECT tenant_id, plugin_id, count(*) AS n FROM {t} GROUP BY tenant_id, plugin_id) g
                          LEFT JOIN (SELECT tenant_id, plugin_id, count(*) AS n FROM plugin_installations GROUP BY tenant_id, plugin_id) i
                                 ON i.tenant_id = g.tenant_id AND i.plugin_id = g.plugin_id
                          WHERE g.n > coalesce(i.n, 0))
                      SELECT c.*, s.installations, first_value(c.id::text) OVER w AS kept, row_number() OVER w AS n
                      FROM {t} c
                      JOIN s ON s.tenant_id = c.tenant_id AND s.plugin_id = c.plugin_id
                      -- The row matching an installed version is kept first, then the oldest.
                      WINDOW w AS (PARTITION BY c.tenant_id, c.plugin_id
                                   ORDER BY CASE WHEN s.installations = 0 THEN false
                                                 ELSE EXISTS (SELECT 1 FROM plugin_installations i
                                                              WHERE i.tenant_id = c.tenant_id AND i.plugin_id = c.plugin_id
                                                                AND i.plugin_unique_identifier = c.plugin_unique_identifier) END DESC,
                                            c.created_at, c.id)) c
                -- No installation at all (an orphan), or more rows than installations (the extras).
                WHERE c.installations = 0 OR c.n > c.installations
                UNION ALL
                -- A NULL tenant or plugin matches no installation (nor the join above): an orphan, with no row kept.
                SELECT '{t}'::text, c.id::text, c.tenant_id::text, c.plugin_id::text, c.plugin_unique_identifier::text,
                       greatest(c.created_at, c.updated_at), c.provider::text, NULL::text
                FROM {t} c
                WHERE c.tenant_id IS NULL OR c.plugin_id IS NULL
                """)
            .ToList();
        return parts.Count > 0 ? string.Join("\nUNION ALL\n", parts) : "SELECT NULL::text WHERE false";
    }

    public void Evaluate(DbDataReader row, RuleContext context)
    {
        var table = RowValues.Text(row, 0)!;
        var id = RowValues.Text(row, 1)!;
        var tenant = RowValues.Text(row, 2);
        var pluginId = RowValues.Text(row, 3);
        if (RowValues.Text(row, 7) is { } kept)
        {
            context.Report(
                $"{table} row {id} (tenant {tenant}, {pluginId}, provider {RowValues.Text(row, 6)}) is a second row for one installation: row {kept} already "
                + "serves it and install writes exactly one. Uninstall deletes both; until then the table holds two rows for one installation.",
                new FindingLocation
                {
                    Table = table,
                    RowId = id,
                    Identifier = RowValues.Text(row, 4),
                    TenantId = tenant,
                    PluginId = pluginId,
                    Details = new Dictionary<string, string> { ["duplicateOf"] = kept },
                },
                RowValues.Time(row, 5),
                new Recheck.Query($"SELECT EXISTS (SELECT 1 FROM {table} c WHERE c.id = $1::uuid) AND EXISTS (SELECT 1 FROM {table} c WHERE c.id = $2::uuid)", id, kept));
            return;
        }

        context.Report(
            $"{table} row {id} (tenant {tenant}, {pluginId}, provider {RowValues.Text(row, 6)}) has no plugin_installations row for that tenant and plugin. "
            + "Dify still lists the provider for the tenant, but calls to it fail because the plugin is not installed.",
            new FindingLocation { Table = table, RowId = id, Identifier = RowValues.Text(row, 4), TenantId = tenant, PluginId = pluginId },
            RowValues.Time(row, 5),
            new Recheck.Query(
                $"SELECT EXISTS (SELECT 1 FROM {table} c WHERE c.id = $1::uuid AND NOT EXISTS (SELECT 1 FROM plugin_installations i WHERE i.tenant_id = c.tenant_id AND i.plugin_id = c.plugin_id))",
                id));
    }
}
