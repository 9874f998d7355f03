using DbIntegrity.Migrations.Preconditions;
using FluentMigrator;

namespace DbIntegrity.Migrations.Upstream;

/// <summary>
/// Daemon 0.5.2 (docs/daemon/database.md#base-model, docs/daemon/database.md#schema-history, 11e00ea0 / #469): ids become UUIDv7 made in Go, and the tag loses
/// <c>default:uuid_generate_v4()</c>. This drops the default on the tables AutoMigrate still manages; plugin_readmes,
/// no longer migrated, keeps it. Whether AutoMigrate really removes a key's default is an inference in the reference
/// (docs/daemon/database.md#base-model), so the baseline accepts a database that still has it.
/// </summary>
[Migration(50201, "daemon 0.5.2: id columns lose DEFAULT uuid_generate_v4() (ids are UUIDv7 from the daemon). Bucket: untouched.")]
[DaemonVersion("0.5.2")]
public sealed class M0050201_IdDefaultDropped_0_5_2 : Migration, IHasPreconditions
{
    public IReadOnlyList<MigrationPrecondition> Preconditions { get; } =
    [
        new()
        {
            // A database a 0.5.2+ daemon created itself (then adopted by migrate baseline) never needed uuid-ossp (docs/daemon/database.md#base-model),
            // so Down's SET DEFAULT uuid_generate_v4() fails there with 42883 (function does not exist).
            Id = "uuid-generate-v4-available",
            Description = "uuid_generate_v4() exists (reverting 0.5.2 restores it as the id default).",
            OffendingRowsSql = """
                SELECT 'uuid_generate_v4()' AS missing_function, 'extension uuid-ossp is not installed' AS problem
                WHERE to_regprocedure('uuid_generate_v4()') IS NULL
                """,
            Remedy = "Install the uuid-ossp extension (a trusted extension since PostgreSQL 13, so the database owner may), as the SQL below does.",
            RepairSql = "CREATE EXTENSION IF NOT EXISTS \"uuid-ossp\";",
            Direction = PreconditionDirection.Down,
        },
    ];

    // docs/daemon/database.md#migrations: the models AutoMigrate manages from 0.5.2 on.
    private static readonly string[] ManagedTables =
    [
        "plugins", "plugin_installations", "plugin_declarations", "endpoints", "serverless_runtimes", "datasource_installations",
        "tool_installations", "ai_model_installations", "install_tasks", "tenant_storages", "agent_strategy_installations",
        "trigger_installations", "plugin_readme_records",
    ];

    public override void Up()
    {
        foreach (var table in ManagedTables)
        {
            Execute.Sql($"ALTER TABLE {table} ALTER COLUMN id DROP DEFAULT");
        }
    }

    public override void Down()
    {
        // Existing ids keep their values; only rows inserted without an id get a v4 again.
        foreach (var table in ManagedTables)
        {
            Execute.Sql($"ALTER TABLE {table} ALTER COLUMN id SET DEFAULT uuid_generate_v4()");
        }
    }
}
