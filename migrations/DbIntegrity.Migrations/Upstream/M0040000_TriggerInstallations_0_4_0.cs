using DbIntegrity.Migrations.Preconditions;
using FluentMigrator;

namespace DbIntegrity.Migrations.Upstream;

/// <summary>Daemon 0.4.0 (docs/daemon/database.md#schema-history, 4589841b): the <c>trigger_installations</c> table, installation shape of docs/daemon/database.md#tables.</summary>
[Migration(40000, "daemon 0.4.0: trigger_installations table. Bucket: untouched.")]
[DaemonVersion("0.4.0")]
public sealed class M0040000_TriggerInstallations_0_4_0 : Migration, IHasPreconditions
{
    public IReadOnlyList<MigrationPrecondition> Preconditions { get; } = [CreatedAhead.Table("trigger_installations", 40000, "0.4.0")];

    public override void Up() =>
        Create.InstallationTable("trigger_installations", uuidDefault: true);

    public override void Down() =>
        Delete.Table("trigger_installations");
}
