using DbIntegrity.Migrations;
using FluentMigrator;

namespace DbIntegrity.IntegrationTests.Gate.TestMigrations;

/// <summary>
/// A test-only operator migration that breaks consistency: it deletes every plugin_declarations row, so every local
/// installation loses its declaration (docs/daemon/database.md#invariants item 3). <c>migrate up --gate</c> must roll it back.
/// </summary>
[Migration(1_000_000_900, "operator (test): deletes every plugin_declarations row. Bucket: untouched.")]
[OperatorMigration]
public sealed class M1000000900_DeletesDeclarations : Migration
{
    public override void Up() => Execute.Sql("DELETE FROM plugin_declarations");

    // Deleted declarations cannot come back; a gated run never commits this migration anyway.
    public override void Down()
    {
    }
}
