using DbIntegrity.Migrations.Preconditions;
using FluentMigrator;

namespace DbIntegrity.Migrations.Upstream;

/// <summary>Daemon 0.3.0 (docs/daemon/database.md#schema-history, 9e3081bd): <c>plugins.source varchar(63) DEFAULT ''</c> (docs/daemon/database.md#tables).</summary>
[Migration(30000, "daemon 0.3.0: plugins.source varchar(63) DEFAULT ''. Bucket: untouched.")]
[DaemonVersion("0.3.0")]
public sealed class M0030000_PluginsSource_0_3_0 : Migration, IHasPreconditions
{
    public IReadOnlyList<MigrationPrecondition> Preconditions { get; } = [CreatedAhead.Column("plugins", "source", 30000, "0.3.0")];

    public override void Up() =>
        Alter.Table("plugins").AddColumn("source").AsString(63).Nullable().WithDefaultValue(string.Empty);

    public override void Down() =>
        Delete.Column("source").FromTable("plugins");
}
