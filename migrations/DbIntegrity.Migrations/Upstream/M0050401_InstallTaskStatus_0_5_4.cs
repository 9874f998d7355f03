using DbIntegrity.Migrations.Preconditions;
using FluentMigrator;

namespace DbIntegrity.Migrations.Upstream;

/// <summary>
/// Daemon 0.5.4 (docs/daemon/database.md#tables, docs/daemon/database.md#schema-history, 752cfbdf): <c>install_tasks.status</c> changes from <c>text NOT NULL</c> to
/// <c>varchar(50) NOT NULL</c> with index <c>idx_install_tasks_status</c>. The status values (pending, running,
/// success, failed) fit, so no row changes.
/// </summary>
[Migration(50401, "daemon 0.5.4: install_tasks.status becomes varchar(50) with index idx_install_tasks_status. Bucket: untouched.")]
[DaemonVersion("0.5.4")]
public sealed class M0050401_InstallTaskStatus_0_5_4 : Migration, IHasPreconditions
{
    public IReadOnlyList<MigrationPrecondition> Preconditions { get; } =
    [
        new()
        {
            // The daemon only writes pending/running/success/failed (docs/daemon/database.md#tables); anything longer came from elsewhere,
            // and ALTER ... TYPE varchar(50) fails on it with 22001 (value too long).
            Id = "install-task-status-fits",
            Description = "Every install_tasks.status fits in varchar(50) (0.5.4 narrows the column from text).",
            OffendingRowsSql = """
                SELECT id, tenant_id, length(status) AS length, left(status, 60) AS status_start
                FROM install_tasks
                WHERE length(status) > 50
                ORDER BY created_at NULLS LAST, id
                """,
            Remedy = "The daemon never writes such a status (its values are pending, running, success and failed, docs/daemon/database.md#tables). "
                + "Mark those tasks failed, as the SQL below does, or delete them: finished tasks are only a history.",
            RepairSql = "UPDATE install_tasks SET status = 'failed' WHERE length(status) > 50;",
        },
        CreatedAhead.Index("idx_install_tasks_status", 50401, "0.5.4"),
    ];

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
