using DbIntegrity.Migrations;
using FluentMigrator;

namespace DbIntegrity.Core.Tests.Gate.TestMigrations;

/// <summary>A future upstream migration (daemon 0.6.0) added to the chain after the operator migrations were applied.</summary>
[Migration(60000, "daemon 0.6.0 (test): a future upstream change. Bucket: untouched.")]
[DaemonVersion("0.6.0")]
public sealed class M0060000_NextDaemonRelease : Migration
{
    public override void Up() => Execute.Sql("SELECT 1");

    public override void Down() => Execute.Sql("SELECT 1");
}
