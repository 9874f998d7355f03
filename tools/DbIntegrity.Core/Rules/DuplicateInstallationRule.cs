using System.Data.Common;
using System.Globalization;
using DbIntegrity.Core.Database;

namespace DbIntegrity.Core.Rules;

/// <summary>
/// A tenant has several installations of one plugin. Possible before daemon 0.5.1; the 0.5.1 migration then fails to
/// create the UNIQUE index idx_tenant_plugin (docs/daemon/database.md#tables, docs/daemon/database.md#schema-history, docs/daemon/issues.md#issues PR #533).
/// </summary>
internal sealed class DuplicateInstallationRule : IDatabaseRule
{
    public RuleDescriptor Descriptor { get; } = new()
    {
        Id = "duplicate-installation",
        Severity = Severity.Error,
        Summary = "A tenant has several plugin_installations rows for one plugin_id (breaks the 0.5.1 unique index).",
        RequiredColumns = new Dictionary<string, string[]> { ["plugin_installations"] = ["tenant_id", "plugin_id", "plugin_unique_identifier", "created_at", "updated_at"] },
    };

    // A unique index treats NULLs as distinct, so rows with a NULL key never break idx_tenant_plugin. Groups are
    // counted first and only the duplicated ones have their rows listed: a string_agg for every tenant and plugin cost
    // most of this query at 10,000 plugins, for groups the HAVING then dropped.
    // Where a valid unique index has two key columns, both among tenant_id and plugin_id (idx_tenant_plugin, daemon
    // 0.5.1 and later; a unique index on tenant_id alone, listed twice, would be stricter still), the table cannot hold a
    // duplicate, and the WHERE below, evaluated once before anything else (PostgreSQL's one-time
    // filter), skips counting 290,000 groups (0.3 s at 10^5 plugins). An index left INVALID (a unique CREATE INDEX
    // CONCURRENTLY that met duplicates) or partial does not count.
    public string BuildSql(DatabaseSchema schema) => """
        SELECT d.tenant_id::text, d.plugin_id,
               (SELECT string_agg(p.id::text || '=' || coalesce(p.plugin_unique_identifier, ''), ',' ORDER BY p.created_at, p.id)
                FROM plugin_installations p WHERE p.tenant_id = d.tenant_id AND p.plugin_id = d.plugin_id),
               d.n, d.newest
        FROM (SELECT tenant_id, plugin_id, count(*) AS n, max(greatest(created_at, updated_at)) AS newest
              FROM plugin_installations
              WHERE tenant_id IS NOT NULL AND plugin_id IS NOT NULL
              GROUP BY tenant_id, plugin_id
              HAVING count(*) > 1) d
        WHERE (SELECT NOT EXISTS (
                   SELECT 1 FROM pg_index x
                   WHERE x.indrelid = 'plugin_installations'::regclass AND x.indisunique AND x.indisvalid
                     AND x.indpred IS NULL AND x.indexprs IS NULL AND x.indnkeyatts = 2
                     AND ARRAY[x.indkey[0], x.indkey[1]]::int2[] <@ ARRAY(
                         SELECT a.attnum FROM pg_attribute a
                         WHERE a.attrelid = x.indrelid AND a.attname IN ('tenant_id', 'plugin_id'))))
        """;

    public void Evaluate(DbDataReader row, RuleContext context)
    {
        var tenant = RowValues.Text(row, 0);
        var pluginId = RowValues.Text(row, 1);
        var rows = RowValues.Text(row, 2)!;
        var count = RowValues.Number(row, 3);
        context.Report(
            $"Tenant {tenant} has {count} installations of {pluginId} ({rows}). The daemon expects one version per tenant; "
            + $"upgrading to 0.5.1 or later fails to create the unique index idx_tenant_plugin until only one remains.",
            new FindingLocation
            {
                Table = "plugin_installations",
                TenantId = tenant,
                PluginId = pluginId,
                Details = new Dictionary<string, string> { ["rows"] = rows, ["count"] = count.ToString(CultureInfo.InvariantCulture) },
            },
            RowValues.Time(row, 4),
            new Recheck.Query("SELECT count(*) > 1 FROM plugin_installations WHERE tenant_id::text = $1 AND plugin_id = $2", (object?)tenant ?? DBNull.Value, (object?)pluginId ?? DBNull.Value));
    }
}
