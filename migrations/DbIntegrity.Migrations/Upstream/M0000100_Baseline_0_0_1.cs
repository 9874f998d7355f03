using FluentMigrator;

namespace DbIntegrity.Migrations.Upstream;

/// <summary>
/// The schema GORM AutoMigrate creates with daemon 0.0.1 (docs/daemon/database.md#migrations model list of that time, docs/daemon/database.md#tables columns,
/// docs/daemon/database.md#schema-history history up to a9f7cc48). Ten tables; every id has <c>DEFAULT uuid_generate_v4()</c> (docs/daemon/database.md#base-model) and the five
/// tables named in docs/daemon/database.md#schema-history (f94ba2de, 1aecaf9a) carry the legacy <c>declaration text NOT NULL</c> column.
/// Where the reference gives only the current columns (endpoints, install_tasks, tenant_storages) they are taken as
/// already present in 0.0.1: every change listed for them in docs/daemon/database.md#schema-history predates the 0.0.1 tag, except install_tasks.status,
/// which was <c>text NOT NULL</c> without an index until 0.5.4. The legacy declaration column is placed last: the
/// reference does not give its position, and column order does not affect the daemon.
/// </summary>
[Migration(100, "daemon 0.0.1: the ten plugin tables with legacy declaration columns and id DEFAULT uuid_generate_v4(). Bucket: untouched.")]
[DaemonVersion("0.0.1")]
public sealed class M0000100_Baseline_0_0_1 : Migration
{
    public override void Up()
    {
        // docs/daemon/database.md#base-model: uuid_generate_v4() comes from uuid-ossp. It is a trusted extension (PostgreSQL 13+), so the
        // database owner may create it.
        Execute.Sql("CREATE EXTENSION IF NOT EXISTS \"uuid-ossp\"");

        // Created in AutoMigrate's model order (docs/daemon/database.md#migrations).
        Create.GormTable("plugins", uuidDefault: true)
            .WithColumn("plugin_unique_identifier").AsString(255).Nullable()
            .WithColumn("plugin_id").AsString(255).Nullable()
            .WithColumn("refers").AsGoInt().Nullable().WithDefaultValue(0)
            .WithColumn("install_type").AsString(127).Nullable()
            .WithColumn("manifest_type").AsString(127).Nullable()
            .WithColumn("declaration").AsText().NotNullable();
        Create.IndexOn("plugins", "plugin_unique_identifier");
        Create.IndexOn("plugins", "plugin_id");
        Create.IndexOn("plugins", "install_type");

        Create.GormTable("plugin_installations", uuidDefault: true)
            .WithColumn("tenant_id").AsGuid().Nullable()
            .WithColumn("plugin_id").AsString(255).Nullable()
            .WithColumn("plugin_unique_identifier").AsString(255).Nullable()
            .WithColumn("runtime_type").AsString(127).Nullable()
            .WithColumn("endpoints_setups").AsGoInt().Nullable()
            .WithColumn("endpoints_active").AsGoInt().Nullable()
            .WithColumn("source").AsString(63).Nullable()
            .WithColumn("meta").AsText().Nullable();
        Create.IndexOn("plugin_installations", "tenant_id");
        Create.IndexOn("plugin_installations", "plugin_id");
        Create.IndexOn("plugin_installations", "plugin_unique_identifier");

        Create.GormTable("plugin_declarations", uuidDefault: true)
            .WithColumn("plugin_unique_identifier").AsString(255).Nullable()
            .WithColumn("plugin_id").AsString(255).Nullable()
            .WithColumn("declaration").AsText().Nullable();
        Create.UniqueOn("plugin_declarations", "plugin_unique_identifier");
        Create.IndexOn("plugin_declarations", "plugin_id");

        // docs/daemon/database.md#tables: tenant_id, user_id and plugin_id are varchar(64) here, not uuid; name defaults to 'default'.
        Create.GormTable("endpoints", uuidDefault: true)
            .WithColumn("name").AsString(127).Nullable().WithDefaultValue("default")
            .WithColumn("hook_id").AsString(127).Nullable()
            .WithColumn("tenant_id").AsString(64).Nullable()
            .WithColumn("user_id").AsString(64).Nullable()
            .WithColumn("plugin_id").AsString(64).Nullable()
            .WithColumn("expired_at").AsTimestampTz().Nullable()
            .WithColumn("enabled").AsBoolean().Nullable()
            .WithColumn("settings").AsText().Nullable();
        Create.UniqueOn("endpoints", "hook_id");
        Create.IndexOn("endpoints", "tenant_id");
        Create.IndexOn("endpoints", "user_id");
        Create.IndexOn("endpoints", "plugin_id");

        Create.GormTable("serverless_runtimes", uuidDefault: true)
            .WithColumn("plugin_unique_identifier").AsString(255).Nullable()
            .WithColumn("function_url").AsString(255).Nullable()
            .WithColumn("function_name").AsString(127).Nullable()
            .WithColumn("type").AsString(127).Nullable()
            .WithColumn("checksum").AsString(127).Nullable()
            .WithColumn("declaration").AsText().NotNullable();
        Create.UniqueOn("serverless_runtimes", "plugin_unique_identifier");
        Create.IndexOn("serverless_runtimes", "checksum");

        Create.InstallationTable("tool_installations", uuidDefault: true, legacyDeclaration: true);
        Create.InstallationTable("ai_model_installations", uuidDefault: true, providerFirst: true, legacyDeclaration: true);

        Create.GormTable("install_tasks", uuidDefault: true)
            .WithColumn("status").AsText().NotNullable()
            .WithColumn("tenant_id").AsGuid().NotNullable()
            .WithColumn("total_plugins").AsGoInt().NotNullable()
            .WithColumn("completed_plugins").AsGoInt().NotNullable()
            .WithColumn("plugins").AsText().Nullable();

        Create.GormTable("tenant_storages", uuidDefault: true)
            .WithColumn("tenant_id").AsString(255).NotNullable()
            .WithColumn("plugin_id").AsString(255).NotNullable()
            .WithColumn("size").AsGoInt().NotNullable();
        Create.IndexOn("tenant_storages", "tenant_id");
        Create.IndexOn("tenant_storages", "plugin_id");

        Create.InstallationTable("agent_strategy_installations", uuidDefault: true, legacyDeclaration: true);
    }

    public override void Down()
    {
        // Indexes and constraints go with their tables. The uuid-ossp extension stays: it may have existed before
        // and other schemas may use it; leaving it behind changes nothing the daemon sees.
        foreach (var table in new[]
        {
            "agent_strategy_installations", "tenant_storages", "install_tasks", "ai_model_installations", "tool_installations",
            "serverless_runtimes", "endpoints", "plugin_declarations", "plugin_installations", "plugins",
        })
        {
            Delete.Table(table);
        }
    }
}
