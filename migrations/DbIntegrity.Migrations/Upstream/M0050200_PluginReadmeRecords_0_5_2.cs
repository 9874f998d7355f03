using DbIntegrity.Migrations.Preconditions;
using FluentMigrator;

namespace DbIntegrity.Migrations.Upstream;

/// <summary>
/// Daemon 0.5.2 (docs/daemon/database.md#schema-history, 0eb2cbe2): <c>plugin_readme_records</c> replaces plugin_readmes, which stays in place
/// (docs/daemon/database.md#schema-history). At that commit the base model still had the uuid default; 50201 removes it a day later.
/// </summary>
[Migration(50200, "daemon 0.5.2: plugin_readme_records table (plugin_readmes is left in place). Bucket: untouched.")]
[DaemonVersion("0.5.2")]
public sealed class M0050200_PluginReadmeRecords_0_5_2 : Migration, IHasPreconditions
{
    public IReadOnlyList<MigrationPrecondition> Preconditions { get; } = [CreatedAhead.Table("plugin_readme_records", 50200, "0.5.2")];

    public override void Up()
    {
        Create.GormTable("plugin_readme_records", uuidDefault: true)
            .WithColumn("plugin_unique_identifier").AsString(255).NotNullable()
            .WithColumn("language").AsString(10).NotNullable()
            .WithColumn("content").AsText().NotNullable();
        Create.IndexOn("plugin_readme_records", "plugin_unique_identifier");
    }

    public override void Down() =>
        Delete.Table("plugin_readme_records");
}
