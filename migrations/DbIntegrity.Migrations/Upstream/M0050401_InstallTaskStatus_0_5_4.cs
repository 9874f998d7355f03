using FluentMigrator;

namespace DbIntegrity.Migrations.Upstream;

/// <summary>
/// Daemon 0.5.4 (reference §1.4, §1.6, 752cfbdf): <c>install_tasks.status</c> changes from <c>text NOT NULL</c> to
/// <c>varchar(50) NOT NULL</c> with index <c>idx_install_tasks_status</c>. The status values (pending, running,
/// success, failed) fit, so no row changes.
/// </summary>
[Migration(50401, "daemon 0.5.4: install_tasks.status becomes varchar(50) with index idx_install_tasks_status. Bucket: untouched.")]
[DaemonVersion("0.5.4")]
public sealed class M0050401_InstallTaskStatus_0_5_4 : Migration
{
    public override void Up()
    {
        Execute.Sql("ALTER TABLE install_tasks ALTER COLUMN status TYPE varchar(50)");
        Create.Index("idx_install_tasks_status").OnTable("install_tasks").OnColumn("status").Ascending();
    }

    public override void Down()
    {
        Delete.Index("idx_install_tasks_status").OnTable("install_tasks");
        Execute.Sql("ALTER TABLE install_tasks ALTER COLUMN status TYPE text");
    }
}
