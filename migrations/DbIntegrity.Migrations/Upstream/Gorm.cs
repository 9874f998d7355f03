using FluentMigrator;
using FluentMigrator.Builders;
using FluentMigrator.Builders.Create;
using FluentMigrator.Builders.Create.Table;
using FluentMigrator.Infrastructure;

namespace DbIntegrity.Migrations.Upstream;

/// <summary>
/// The DDL conventions GORM's PostgreSQL migrator follows, as small builders, so that every upstream migration spells
/// types, defaults and names the way AutoMigrate does (docs/daemon/database.md#base-model–docs/daemon/database.md#tables).
/// </summary>
internal static class Gorm
{
    /// <summary>
    /// docs/daemon/database.md#base-model: every model embeds id/created_at/updated_at first. GORM declares the key as a table constraint
    /// without a name, so PostgreSQL names it <c>&lt;table&gt;_pkey</c> (FluentMigrator would say <c>PK_&lt;table&gt;</c>).
    /// Before 0.5.2 the tag carried <c>default:uuid_generate_v4()</c> (<see cref="SystemMethods.NewGuid"/> on PostgreSQL).
    /// </summary>
    public static ICreateTableColumnOptionOrWithColumnSyntax GormTable(this ICreateExpressionRoot create, string table, bool uuidDefault)
    {
        var id = create.Table(table).WithColumn("id").AsGuid().NotNullable().PrimaryKey($"{table}_pkey");
        if (uuidDefault)
        {
            id = id.WithDefault(SystemMethods.NewGuid);
        }

        return id
            .WithColumn("created_at").AsTimestampTz().Nullable()
            .WithColumn("updated_at").AsTimestampTz().Nullable();
    }

    /// <summary>Go <c>string</c> without a size, or <c>type:text</c>.</summary>
    public static TNext AsText<TNext>(this IColumnTypeSyntax<TNext> column)
        where TNext : IFluentSyntax => column.AsCustom("text");

    /// <summary>Go <c>time.Time</c>.</summary>
    public static TNext AsTimestampTz<TNext>(this IColumnTypeSyntax<TNext> column)
        where TNext : IFluentSyntax => column.AsCustom("timestamptz");

    /// <summary>Go <c>int</c>: 64 bits on the daemon's platforms.</summary>
    public static TNext AsGoInt<TNext>(this IColumnTypeSyntax<TNext> column)
        where TNext : IFluentSyntax => column.AsInt64();

    /// <summary>The <c>index</c> tag: a plain index named <c>idx_&lt;table&gt;_&lt;column&gt;</c>.</summary>
    public static void IndexOn(this ICreateExpressionRoot create, string table, string column) =>
        create.Index($"idx_{table}_{column}").OnTable(table).OnColumn(column).Ascending();

    /// <summary>The <c>unique</c> tag: a UNIQUE constraint named <c>uni_&lt;table&gt;_&lt;column&gt;</c> (GORM ≥ 1.25.6).</summary>
    public static void UniqueOn(this ICreateExpressionRoot create, string table, string column) =>
        create.UniqueConstraint($"uni_{table}_{column}").OnTable(table).Column(column);

    /// <summary>
    /// docs/daemon/database.md#tables: tool, ai_model, agent_strategy, datasource and trigger installations share one shape. In
    /// ai_model_installations <c>provider</c> comes before <c>tenant_id</c>. Tables created before 0.0.3 also carry the
    /// legacy <c>declaration text NOT NULL</c> column (docs/daemon/database.md#schema-history, commit f94ba2de).
    /// </summary>
    public static void InstallationTable(this ICreateExpressionRoot create, string table, bool uuidDefault, bool providerFirst = false, bool legacyDeclaration = false)
    {
        var model = create.GormTable(table, uuidDefault);
        var columns = providerFirst
            ? model.WithColumn("provider").AsString(127).NotNullable().WithColumn("tenant_id").AsGuid().NotNullable()
            : model.WithColumn("tenant_id").AsGuid().NotNullable().WithColumn("provider").AsString(127).NotNullable();
        columns = columns
            .WithColumn("plugin_unique_identifier").AsString(255).Nullable()
            .WithColumn("plugin_id").AsString(255).Nullable();
        if (legacyDeclaration)
        {
            columns.WithColumn("declaration").AsText().NotNullable();
        }

        create.IndexOn(table, "tenant_id");
        create.IndexOn(table, "provider");
        create.IndexOn(table, "plugin_unique_identifier");
        create.IndexOn(table, "plugin_id");
    }
}
