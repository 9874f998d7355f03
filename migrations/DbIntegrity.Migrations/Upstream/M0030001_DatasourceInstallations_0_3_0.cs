using DbIntegrity.Migrations.Preconditions;
using FluentMigrator;

namespace DbIntegrity.Migrations.Upstream;

/// <summary>Daemon 0.3.0 (docs/daemon/database.md#schema-history, 878edde4): the <c>datasource_installations</c> table, installation shape of docs/daemon/database.md#tables.</summary>
[Migration(30001, "daemon 0.3.0: datasource_installations table. Bucket: untouched.")]
[DaemonVersion("0.3.0")]
public sealed class M0030001_DatasourceInstallations_0_3_0 : Migration, IHasPreconditions
{
    public IReadOnlyList<MigrationPrecondition> Preconditions { get; } = [CreatedAhead.Table("datasource_installations", 30001, "0.3.0")];

    public override void Up() =>
        Create.InstallationTable("datasource_installations", uuidDefault: true);

    public override void Down() =>
        Delete.Table("datasource_installations");
}
