using FluentMigrator;

namespace DbIntegrity.Migrations.Operator;

/// <summary>
/// DbIntegrity's own record of every gate run, kept in the daemon's database so the verdict travels with
/// the data it judged. The daemon never reads it: its name has the <c>dbintegrity_</c> prefix, which no daemon table
/// has (docs/daemon/database.md#tables), and AutoMigrate leaves tables it does not know alone (docs/daemon/database.md#migrations).
/// </summary>
[Migration(MigrationIds.FirstOperator, "operator: dbintegrity_check_runs records each gate run (gate, migrate up --gate); check stays read-only. Bucket: untouched.")]
[OperatorMigration]
public sealed class M1000000000_CheckRuns : Migration
{
    public override void Up()
    {
        Create.Table("dbintegrity_check_runs")
            .WithColumn("id").AsInt64().NotNullable().PrimaryKey().Identity()
            .WithColumn("started_at").AsCustom("timestamptz").NotNullable().WithDefault(SystemMethods.CurrentDateTimeOffset)
            .WithColumn("finished_at").AsCustom("timestamptz").Nullable()
            .WithColumn("command").AsString(32).NotNullable()
            .WithColumn("outcome").AsString(32).Nullable()
            .WithColumn("error_findings").AsInt32().Nullable()
            .WithColumn("warning_findings").AsInt32().Nullable()
            .WithColumn("tool_version").AsString(64).Nullable()
            .WithColumn("schema_version").AsInt64().Nullable()
            .WithColumn("report").AsCustom("jsonb").Nullable();
        Create.Index("idx_dbintegrity_check_runs_started_at").OnTable("dbintegrity_check_runs").OnColumn("started_at").Descending();
    }

    public override void Down() =>
        Delete.Table("dbintegrity_check_runs");
}
