using DbIntegrity.Migrations;
using FluentMigrator;

namespace DbIntegrity.IntegrationTests.Gate.TestMigrations;

/// <summary>
/// A test-only upstream migration between 0.5.2 and 0.5.4 that writes an install task status longer than 50
/// characters: the data 50401's precondition guards against appears only during the run, after the gate looked.
/// </summary>
[Migration(50300, "daemon 0.5.3 (test): writes an install task with a 60-character status. Bucket: untouched.")]
[DaemonVersion("0.5.3")]
public sealed class M0050300_InsertsLongTaskStatus : Migration
{
    public override void Up() =>
        Execute.Sql("INSERT INTO install_tasks (id, status, tenant_id, total_plugins, completed_plugins) VALUES (gen_random_uuid(), repeat('x', 60), gen_random_uuid(), 1, 0)");

    public override void Down() => Execute.Sql("DELETE FROM install_tasks WHERE length(status) = 60");
}
