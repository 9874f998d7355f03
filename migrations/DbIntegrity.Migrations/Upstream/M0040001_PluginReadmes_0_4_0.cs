using DbIntegrity.Migrations.Preconditions;
using FluentMigrator;

namespace DbIntegrity.Migrations.Upstream;

/// <summary>
/// Daemon 0.4.0 (docs/daemon/database.md#schema-history, 4589841b): the first readme table, <c>plugin_readmes</c>, "with tenant_id". The
/// reference gives no column list for it; this reads it as the columns of its successor <c>plugin_readme_records</c>
/// (docs/daemon/database.md#tables) plus <c>tenant_id uuid NOT NULL</c>, indexed like the successor's identifier. From 0.5.2 it is a leftover
/// the daemon no longer migrates.
/// </summary>
[Migration(40001, "daemon 0.4.0: plugin_readmes table (tenant-scoped readmes; a leftover from 0.5.2 on). Bucket: untouched.")]
[DaemonVersion("0.4.0")]
public sealed class M0040001_PluginReadmes_0_4_0 : Migration, IHasPreconditions
{
    public IReadOnlyList<MigrationPrecondition> Preconditions { get; } = [CreatedAhead.Table("plugin_readmes", 40001, "0.4.0")];

    public override void Up()
    {
        Create.GormTable("plugin_readmes", uuidDefault: true)
            .WithColumn("tenant_id").AsGuid().NotNullable()
            .WithColumn("plugin_unique_identifier").AsString(255).NotNullable()
            .WithColumn("language").AsString(10).NotNullable()
            .WithColumn("content").AsText().NotNullable();
        Create.IndexOn("plugin_readmes", "tenant_id");
        Create.IndexOn("plugin_readmes", "plugin_unique_identifier");
    }

    public override void Down() =>
        Delete.Table("plugin_readmes");
}
