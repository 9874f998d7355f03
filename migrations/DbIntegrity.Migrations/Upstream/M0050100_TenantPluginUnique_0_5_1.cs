using FluentMigrator;

namespace DbIntegrity.Migrations.Upstream;

/// <summary>
/// Daemon 0.5.1 (reference §1.6, 96b51115 / #528): UNIQUE <c>idx_tenant_plugin(tenant_id, plugin_id)</c> on
/// plugin_installations. Like the daemon, it fails on duplicate (tenant, plugin) rows (PR #533 was never merged, §5);
/// those must be resolved first.
/// </summary>
[Migration(50100, "daemon 0.5.1: unique index idx_tenant_plugin on plugin_installations(tenant_id, plugin_id). Bucket: untouched.")]
[DaemonVersion("0.5.1")]
public sealed class M0050100_TenantPluginUnique_0_5_1 : Migration
{
    public override void Up() =>
        Create.Index("idx_tenant_plugin").OnTable("plugin_installations")
            .OnColumn("tenant_id").Ascending()
            .OnColumn("plugin_id").Ascending()
            .WithOptions().Unique();

    public override void Down() =>
        Delete.Index("idx_tenant_plugin").OnTable("plugin_installations");
}
