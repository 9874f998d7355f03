using DbIntegrity.Migrations;
using FluentMigrator;

namespace DbIntegrity.IntegrationTests.Gate.TestMigrations;

/// <summary>Upstream migration 50200 edited after it was applied: <c>content</c> is now <c>varchar(4000)</c> instead of text.</summary>
[Migration(50200, "daemon 0.5.2: plugin_readme_records table (plugin_readmes is left in place). Bucket: untouched.")]
[DaemonVersion("0.5.2")]
public sealed class M0050200_PluginReadmeRecordsEdited : Migration
{
    public override void Up()
    {
        // M0050200_PluginReadmeRecords_0_5_2 spelled out (its Gorm helpers are internal to the migrations assembly).
        Create.Table("plugin_readme_records")
            .WithColumn("id").AsGuid().NotNullable().PrimaryKey("plugin_readme_records_pkey").WithDefault(SystemMethods.NewGuid)
            .WithColumn("created_at").AsCustom("timestamptz").Nullable()
            .WithColumn("updated_at").AsCustom("timestamptz").Nullable()
            .WithColumn("plugin_unique_identifier").AsString(255).NotNullable()
            .WithColumn("language").AsString(10).NotNullable()
            .WithColumn("content").AsString(4000).NotNullable();
        Create.Index("idx_plugin_readme_records_plugin_unique_identifier").OnTable("plugin_readme_records").OnColumn("plugin_unique_identifier").Ascending();
    }

    public override void Down() =>
        Delete.Table("plugin_readme_records");
}
