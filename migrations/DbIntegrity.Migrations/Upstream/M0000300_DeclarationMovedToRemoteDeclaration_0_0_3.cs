using DbIntegrity.Migrations.Preconditions;
using FluentMigrator;

namespace DbIntegrity.Migrations.Upstream;

/// <summary>
/// Daemon 0.0.3 (docs/daemon/database.md#schema-history, b19140ca + 13bf5c1c): the structs lose their <c>declaration</c> field, plugins gains
/// <c>remote_declaration</c>, and the daemon's manual step after AutoMigrate (docs/daemon/database.md#migrations) makes the legacy columns nullable.
/// Like AutoMigrate, the legacy columns are kept.
/// </summary>
[Migration(300, "daemon 0.0.3: plugins.remote_declaration; legacy declaration columns become nullable. Down fills NULL declarations with plugins.remote_declaration or '{}'. Bucket: untouched.")]
[DaemonVersion("0.0.3")]
public sealed class M0000300_DeclarationMovedToRemoteDeclaration_0_0_3 : Migration, IHasPreconditions
{
    public IReadOnlyList<MigrationPrecondition> Preconditions { get; } = [CreatedAhead.Column("plugins", "remote_declaration", 300, "0.0.3")];

    // docs/daemon/database.md#migrations lists trigger_installations too, but it never had the column (created in 0.4.0).
    private static readonly string[] LegacyDeclarationTables =
        ["plugins", "serverless_runtimes", "tool_installations", "ai_model_installations", "agent_strategy_installations"];

    public override void Up()
    {
        // serializer:json;type:text;size:65535 (docs/daemon/database.md#tables).
        Alter.Table("plugins").AddColumn("remote_declaration").AsText().Nullable();
        foreach (var table in LegacyDeclarationTables)
        {
            // The daemon's own statement (docs/daemon/database.md#migrations).
            Execute.Sql($"ALTER TABLE {table} ALTER COLUMN declaration DROP NOT NULL");
        }
    }

    public override void Down()
    {
        // Rows written since 0.0.3 have no legacy declaration. NOT NULL can only come back with a value in every row:
        // for plugins the declaration the daemon keeps in remote_declaration (docs/daemon/database.md#tables), elsewhere an empty JSON object.
        Execute.Sql("UPDATE plugins SET declaration = COALESCE(remote_declaration, '{}') WHERE declaration IS NULL");
        foreach (var table in LegacyDeclarationTables)
        {
            if (table != "plugins")
            {
                Execute.Sql($"UPDATE {table} SET declaration = '{{}}' WHERE declaration IS NULL");
            }

            Execute.Sql($"ALTER TABLE {table} ALTER COLUMN declaration SET NOT NULL");
        }

        Delete.Column("remote_declaration").FromTable("plugins");
    }
}
