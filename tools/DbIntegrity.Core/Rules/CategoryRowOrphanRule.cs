using System.Data.Common;
using DbIntegrity.Core.Database;

namespace DbIntegrity.Core.Rules;

/// <summary>
/// A category row (tool_installations, ai_model_installations, …) with no installation of the same tenant and plugin
/// (docs/daemon/database.md#invariants item 4: uninstall deletes both together, so one without the other is left over from a failure).
/// Install writes exactly one row per installation (docs/daemon/database.md#invariants item 4, docs/daemon/rules.md#category-rows; the tables have no unique index), so rows beyond
/// the tenant's number of installations of the plugin are reported too: the row matching the installed version (then
/// the oldest) is kept as the installation's, the others have no installation of their own.
/// </summary>
/// <remarks>
/// When the pass reads the installations' digest, that full join of installations and category rows counts the category
/// rows no installation claims, and tells whether an installation's tenant and plugin has more than one category row
/// (without which no table can hold more rows for a tenant and plugin than it has installations): the installations it
/// counts add up to the table's count only then (<see cref="InstallationDigest.InstallationCountSql"/>). The query then
/// runs only if either is so, or an installation has no identifier (<see cref="IDigestClearedRule"/>,
/// <see cref="DigestObservations"/>).
/// </remarks>
internal sealed class CategoryRowOrphanRule : IDigestClearedRule
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
        // The tables the installations' digest joins too, so that it can clear this rule (IDigestClearedRule).
        var tables = InstallationRow.CategoryTablesIn(schema);
        if (tables.Count == 0)
        {
            return "SELECT NULL::text WHERE false";
        }

        // Rows with no installation of their tenant and plugin (a NULL tenant or plugin matches none): orphans, every
        // one reported, no row kept. One hash anti-join of every category table's rows against the installations: one
        // hash of plugin_installations, not one per table. Per table, the planner merged each on plugin_id (both sides
        // have an index on it) and filtered the tenant afterwards: at 10^5 installations 1.9 million pairs were
        // rejected one by one, 0.46–0.95 s for the query against 0.41–0.45 s this way (docs/benchmarks.md).
        // The reported columns are converted to text after the anti-join, for the few rows it keeps (converting all of
        // them first cost 15–60 ms more at 10^5), unless the tables disagree on a column's type: then inside each branch,
        // so that they still make one union, as they did per table.
        string[] reported = ["id", "plugin_unique_identifier", "provider", "created_at", "updated_at"];
        var uniform = reported.All(column => tables.Select(t => schema.Table(t)?.Column(column)?.DataType).Distinct().Count() == 1);
        var rows = string.Join("\n        UNION ALL ", tables.Select(t => uniform
            ? $"SELECT '{t}'::text, id, tenant_id, plugin_id, plugin_unique_identifier, greatest(created_at, updated_at), provider FROM {t}"
            : $"SELECT '{t}'::text, id::text, tenant_id, plugin_id, plugin_unique_identifier::text, greatest(created_at, updated_at)::timestamptz, provider::text FROM {t}"));
        var orphans = $"""
            SELECT c.category_table, c.id::text, c.tenant_id::text, c.plugin_id::text, c.plugin_unique_identifier::text, c.newest, c.provider::text, NULL::text
            FROM ({rows}) c (category_table, id, tenant_id, plugin_id, plugin_unique_identifier, newest, provider)
            WHERE NOT EXISTS (SELECT 1 FROM plugin_installations i WHERE i.tenant_id = c.tenant_id AND i.plugin_id = c.plugin_id)
            """;
        var extras = tables.Select(t => $"""
                -- More rows than installations, where there is at least one (so at least two rows): the extras. Only
                -- tenants and plugins with two or more rows here are counted against installations (MATERIALIZED: the
                -- planner otherwise joins every row to the counts before filtering), and only their rows are ranked.
                SELECT '{t}'::text, c.id::text, c.tenant_id::text, c.plugin_id::text, c.plugin_unique_identifier::text,
                       greatest(c.created_at, c.updated_at), c.provider::text, c.kept
                FROM (WITH s AS MATERIALIZED (
                          SELECT g.tenant_id, g.plugin_id, g.installations
                          FROM (SELECT tenant_id, plugin_id, count(*) AS n,
                                       (SELECT count(*) FROM plugin_installations i WHERE i.tenant_id = x.tenant_id AND i.plugin_id = x.plugin_id) AS installations
                                FROM {t} x
                                GROUP BY tenant_id, plugin_id
                                HAVING count(*) > 1) g
                          WHERE g.installations > 0 AND g.n > g.installations)
                      SELECT c.*, s.installations, first_value(c.id::text) OVER w AS kept, row_number() OVER w AS n
                      FROM {t} c
                      JOIN s ON s.tenant_id = c.tenant_id AND s.plugin_id = c.plugin_id
                      -- The row matching an installed version is kept first, then the oldest.
                      WINDOW w AS (PARTITION BY c.tenant_id, c.plugin_id
                                   ORDER BY EXISTS (SELECT 1 FROM plugin_installations i
                                                    WHERE i.tenant_id = c.tenant_id AND i.plugin_id = c.plugin_id
                                                      AND i.plugin_unique_identifier = c.plugin_unique_identifier) DESC,
                                            c.created_at, c.id)) c
                WHERE c.n > c.installations
                """);
        return string.Join("\nUNION ALL\n", [orphans, .. extras]);
    }

    public bool MayFind(DigestObservations seen) => seen.CategoryRowsMayBeLeftOver;

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
                + $"serves it and install writes exactly one. Uninstall deletes both; until then the table holds two rows for one installation.",
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
            + $"Dify still lists the provider for the tenant, but calls to it fail because the plugin is not installed.",
            new FindingLocation { Table = table, RowId = id, Identifier = RowValues.Text(row, 4), TenantId = tenant, PluginId = pluginId },
            RowValues.Time(row, 5),
            new Recheck.Query(
                $"SELECT EXISTS (SELECT 1 FROM {table} c WHERE c.id = $1::uuid AND NOT EXISTS (SELECT 1 FROM plugin_installations i WHERE i.tenant_id = c.tenant_id AND i.plugin_id = c.plugin_id))",
                id));
    }
}
