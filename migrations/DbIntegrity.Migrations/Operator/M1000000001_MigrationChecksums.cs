using FluentMigrator;

namespace DbIntegrity.Migrations.Operator;

/// <summary>
/// A checksum of the SQL each migration ran, recorded when it is applied, so that <c>dbintegrity gate</c> can report a
/// migration edited after it was applied (FluentMigrator's version table keeps only the id). Like
/// <c>dbintegrity_check_runs</c>, the daemon never reads it (reference §1.2, §1.4).
/// </summary>
[Migration(1_000_000_001, "operator: dbintegrity_migration_checksums keeps a SHA-256 of the SQL each applied migration ran. Bucket: untouched.")]
[OperatorMigration]
public sealed class M1000000001_MigrationChecksums : Migration
{
    public override void Up()
    {
        Create.Table("dbintegrity_migration_checksums")
            .WithColumn("version").AsInt64().NotNullable().PrimaryKey()
            .WithColumn("checksum").AsString(64).NotNullable()
            .WithColumn("statements").AsInt32().NotNullable()
            .WithColumn("recorded_at").AsCustom("timestamptz").NotNullable().WithDefault(SystemMethods.CurrentDateTimeOffset)
            .WithColumn("tool_version").AsString(64).Nullable();
    }

    public override void Down() =>
        Delete.Table("dbintegrity_migration_checksums");
}
