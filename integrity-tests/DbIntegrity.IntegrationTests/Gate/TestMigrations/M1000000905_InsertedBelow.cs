using DbIntegrity.Migrations;
using FluentMigrator;

namespace DbIntegrity.IntegrationTests.Gate.TestMigrations;

/// <summary>A migration added later with an id below one already applied (910): out of order.</summary>
[Migration(1_000_000_905, "operator (test): inserted below an applied migration. Bucket: untouched.")]
[OperatorMigration]
public sealed class M1000000905_InsertedBelow : Migration
{
    public override void Up() => Execute.Sql("SELECT 1");

    public override void Down() => Execute.Sql("SELECT 1");
}
