using FluentMigrator;

namespace DbIntegrity.Migrations.Upstream;

/// <summary>
/// Daemon 0.5.4 (reference §1.6, f272e6c3): <c>plugins.plugin_unique_identifier</c> gets the UNIQUE index
/// <c>idx_plugin_unique_identifier</c>. AutoMigrate never drops indexes (§1.2), so an upgraded daemon database keeps
/// the old plain <c>idx_plugins_plugin_unique_identifier</c> beside it, and so does this chain: it mirrors the upgrade
/// path, and a database a newer daemon made itself (without the old index) is accepted by the baseline instead.
/// Like the daemon (dify#38276), it fails on duplicate identifiers; those must be merged first.
/// </summary>
[Migration(50400, "daemon 0.5.4: unique index idx_plugin_unique_identifier on plugins (the old plain index stays). Bucket: untouched.")]
[DaemonVersion("0.5.4")]
public sealed class M0050400_PluginUniqueIdentifierUnique_0_5_4 : Migration
{
    public override void Up() =>
        Create.Index("idx_plugin_unique_identifier").OnTable("plugins")
            .OnColumn("plugin_unique_identifier").Ascending()
            .WithOptions().Unique();

    public override void Down() =>
        Delete.Index("idx_plugin_unique_identifier").OnTable("plugins");
}
