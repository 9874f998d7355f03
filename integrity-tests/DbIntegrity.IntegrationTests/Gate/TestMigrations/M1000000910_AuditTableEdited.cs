using DbIntegrity.Migrations;
using FluentMigrator;

namespace DbIntegrity.IntegrationTests.Gate.TestMigrations;

/// <summary>The same migration (same id) edited after it was applied: its column is now bigint.</summary>
[Migration(1_000_000_910, "operator (test): dbintegrity_test_audit table. Bucket: untouched.")]
[OperatorMigration]
public sealed class M1000000910_AuditTableEdited : Migration
{
    public override void Up() =>
        Create.Table("dbintegrity_test_audit").WithColumn("id").AsInt64().NotNullable().PrimaryKey();

    public override void Down() => Delete.Table("dbintegrity_test_audit");
}
