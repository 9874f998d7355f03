using DbIntegrity.Migrations.Preconditions;
using FluentMigrator;

namespace DbIntegrity.Migrations.Upstream;

/// <summary>
/// Daemon 0.5.1 (docs/daemon/database.md#schema-history, 96b51115 / #528): UNIQUE <c>idx_tenant_plugin(tenant_id, plugin_id)</c> on
/// plugin_installations. Like the daemon, it fails on duplicate (tenant, plugin) rows (PR #533 was never merged, docs/daemon/issues.md#issues);
/// those must be resolved first.
/// </summary>
[Migration(50100, "daemon 0.5.1: unique index idx_tenant_plugin on plugin_installations(tenant_id, plugin_id). Bucket: untouched.")]
[DaemonVersion("0.5.1")]
public sealed class M0050100_TenantPluginUnique_0_5_1 : Migration, IHasPreconditions
{
    public IReadOnlyList<MigrationPrecondition> Preconditions { get; } =
    [
        new()
        {
            // docs/daemon/issues.md#issues PR #533 (never merged): duplicate (tenant, plugin) installations make the 0.5.1 index fail with 23505.
            // NULLs are distinct for a unique index, so rows with a NULL tenant_id or plugin_id never collide.
            Id = "installations-tenant-plugin-unique",
            Description = "No tenant has two plugin_installations rows for one plugin_id (the 0.5.1 UNIQUE index idx_tenant_plugin rejects them).",
            OffendingRowsSql = """
                SELECT tenant_id, plugin_id, count(*) AS rows,
                       string_agg(id::text || ' ' || coalesce(plugin_unique_identifier, '(no identifier)'), ', ' ORDER BY created_at NULLS LAST, id) AS installations
                FROM plugin_installations
                WHERE tenant_id IS NOT NULL AND plugin_id IS NOT NULL
                GROUP BY tenant_id, plugin_id
                HAVING count(*) > 1
                ORDER BY tenant_id, plugin_id
                """,
            Remedy = "Keep one installation per tenant and plugin (the daemon runs one version per tenant, docs/daemon/database.md#invariants item 3): dbintegrity repair "
                + "resolves duplicate-installation findings; by hand, keep the newest row, delete the others and recount plugins.refers "
                + "(docs/daemon/database.md#invariants item 2), as the SQL below does. Then run dbintegrity check: a version whose refers dropped to 0 is no longer installed.",
            RepairSql = """
                DELETE FROM plugin_installations p
                USING (SELECT id, row_number() OVER (PARTITION BY tenant_id, plugin_id ORDER BY created_at DESC NULLS LAST, id DESC) AS n
                       FROM plugin_installations WHERE tenant_id IS NOT NULL AND plugin_id IS NOT NULL) ranked
                WHERE p.id = ranked.id AND ranked.n > 1;
                UPDATE plugins p SET refers = (SELECT count(*) FROM plugin_installations i WHERE i.plugin_unique_identifier = p.plugin_unique_identifier)
                WHERE p.plugin_unique_identifier IS NOT NULL;
                """,
        },
        CreatedAhead.Index("idx_tenant_plugin", 50100, "0.5.1"),
    ];

    public override void Up() =>
        Create.Index("idx_tenant_plugin").OnTable("plugin_installations")
            .OnColumn("tenant_id").Ascending()
            .OnColumn("plugin_id").Ascending()
            .WithOptions().Unique();

    public override void Down() =>
        Delete.Index("idx_tenant_plugin").OnTable("plugin_installations");
}
