using DbIntegrity.Migrations;
using FluentMigrator;

namespace DbIntegrity.IntegrationTests.Gate.TestMigrations;

/// <summary>A harmless test-only operator migration, as first written and applied.</summary>
[Migration(1_000_000_910, "operator (test): dbintegrity_test_audit table. Bucket: untouched.")]
[OperatorMigration]
public sealed class M1000000910_AuditTable : Migration
{
    public override void Up() =>
        Create.Table("dbintegrity_test_audit").WithColumn("id").AsInt32().NotNullable().PrimaryKey();

    public override void Down() => Delete.Table("dbintegrity_test_audit");
}
