namespace DbIntegrity.Core.Migrating;

/// <summary>
/// The daemon schema at each release that changed it, written down from the (docs/daemon/database.md#base-model base model, docs/daemon/database.md#tables tables,
/// docs/daemon/database.md#schema-history history) independently of the migrations, so that the snapshot tests compare two readings of the reference and
/// the baseline can recognise a database the daemon made itself. Types are spelled as <c>format_type</c> prints them.
/// </summary>
public static class UpstreamSchemas
{
    private const string Uuid = "uuid";
    private const string Timestamptz = "timestamp with time zone";
    private const string Text = "text";
    private const string Bigint = "bigint";
    private const string UuidDefault = "uuid_generate_v4()";

    // docs/daemon/database.md#schema-history: tables of pre-1.0 betas a long-lived database may still hold. Never part of a released schema.
    private static readonly string[] PreReleaseLeftovers = ["agent_installations", "endpoint_installations", "webhooks"];

    private static readonly Lazy<IReadOnlyList<ExpectedSchema>> Schemas = new(Build);

    /// <summary>One schema per daemon release that changed it, oldest first.</summary>
    public static IReadOnlyList<ExpectedSchema> All => Schemas.Value;

    /// <summary>Every table name a daemon database may contain, legacy ones included.</summary>
    public static IReadOnlySet<string> DaemonTableNames { get; } =
        All.SelectMany(s => s.Tables).Select(t => t.Name).Concat(PreReleaseLeftovers).ToHashSet(StringComparer.Ordinal);

    public static IReadOnlyList<string> PreReleaseTableNames => PreReleaseLeftovers;

    /// <summary>The schema of <paramref name="version"/>: that of the last release at or before it that changed the schema.</summary>
    public static ExpectedSchema For(DaemonVersion version) =>
        All.LastOrDefault(s => s.Version <= version)
        ?? throw new ArgumentOutOfRangeException(nameof(version), version, $"No daemon schema is known before {All[0].Version}.");

    private static string Varchar(int size) => $"character varying({size})";

    private static ExpectedColumn C(string name, string type, bool nullable = true, string? @default = null) => new(name, type, nullable, @default);

    private static IReadOnlyList<ExpectedSchema> Build()
    {
        var draft = new Draft();
        var schemas = new List<ExpectedSchema>();

        // 0.0.1 (docs/daemon/database.md#migrations model order of that time; docs/daemon/database.md#schema-history up to a9f7cc48). Legacy declaration columns are NOT NULL.
        draft.Table("plugins",
            [C("plugin_unique_identifier", Varchar(255)), C("plugin_id", Varchar(255)), C("refers", Bigint, @default: "0"),
             C("install_type", Varchar(127)), C("manifest_type", Varchar(127)), C("declaration", Text, nullable: false)],
            index: ["plugin_unique_identifier", "plugin_id", "install_type"]);
        draft.Table("plugin_installations",
            [C("tenant_id", Uuid), C("plugin_id", Varchar(255)), C("plugin_unique_identifier", Varchar(255)), C("runtime_type", Varchar(127)),
             C("endpoints_setups", Bigint), C("endpoints_active", Bigint), C("source", Varchar(63)), C("meta", Text)],
            index: ["tenant_id", "plugin_id", "plugin_unique_identifier"]);
        draft.Table("plugin_declarations",
            [C("plugin_unique_identifier", Varchar(255)), C("plugin_id", Varchar(255)), C("declaration", Text)],
            index: ["plugin_id"], unique: ["plugin_unique_identifier"]);
        draft.Table("endpoints",
            [C("name", Varchar(127), @default: "'default'::character varying"), C("hook_id", Varchar(127)), C("tenant_id", Varchar(64)),
             C("user_id", Varchar(64)), C("plugin_id", Varchar(64)), C("expired_at", Timestamptz), C("enabled", "boolean"), C("settings", Text)],
            index: ["tenant_id", "user_id", "plugin_id"], unique: ["hook_id"]);
        draft.Table("serverless_runtimes",
            [C("plugin_unique_identifier", Varchar(255)), C("function_url", Varchar(255)), C("function_name", Varchar(127)),
             C("type", Varchar(127)), C("checksum", Varchar(127)), C("declaration", Text, nullable: false)],
            index: ["checksum"], unique: ["plugin_unique_identifier"]);
        draft.InstallationTable("tool_installations", legacyDeclaration: true);
        draft.InstallationTable("ai_model_installations", legacyDeclaration: true, providerFirst: true);
        draft.Table("install_tasks",
            [C("status", Text, nullable: false), C("tenant_id", Uuid, nullable: false), C("total_plugins", Bigint, nullable: false),
             C("completed_plugins", Bigint, nullable: false), C("plugins", Text)]);
        draft.Table("tenant_storages",
            [C("tenant_id", Varchar(255), nullable: false), C("plugin_id", Varchar(255), nullable: false), C("size", Bigint, nullable: false)],
            index: ["tenant_id", "plugin_id"]);
        draft.InstallationTable("agent_strategy_installations", legacyDeclaration: true);
        schemas.Add(draft.Snapshot("0.0.1"));

        // 0.0.3 (b19140ca, 13bf5c1c): remote_declaration; the declaration columns become nullable leftovers.
        draft.AddColumn("plugins", C("remote_declaration", Text));
        foreach (var table in new[] { "plugins", "serverless_runtimes", "tool_installations", "ai_model_installations", "agent_strategy_installations" })
        {
            draft.ReplaceColumn(table, "declaration", c => c with { IsNullable = true, IsLegacy = true });
        }

        schemas.Add(draft.Snapshot("0.0.3"));

        // 0.3.0 (9e3081bd, 878edde4).
        draft.AddColumn("plugins", C("source", Varchar(63), @default: "''::character varying"));
        draft.InstallationTable("datasource_installations");
        schemas.Add(draft.Snapshot("0.3.0"));

        // 0.4.0 (4589841b). plugin_readmes' columns are not in the reference: see M0040001_PluginReadmes_0_4_0.
        draft.InstallationTable("trigger_installations");
        draft.Table("plugin_readmes",
            [C("tenant_id", Uuid, nullable: false), C("plugin_unique_identifier", Varchar(255), nullable: false),
             C("language", Varchar(10), nullable: false), C("content", Text, nullable: false)],
            index: ["tenant_id", "plugin_unique_identifier"]);
        schemas.Add(draft.Snapshot("0.4.0"));

        // 0.5.1 (96b51115).
        draft.AddIndex(new ExpectedIndex("idx_tenant_plugin", "plugin_installations", ["tenant_id", "plugin_id"], ExpectedIndexKind.Unique));
        schemas.Add(draft.Snapshot("0.5.1"));

        // 0.5.2 (0eb2cbe2, 11e00ea0): plugin_readmes is left behind with its default; the managed tables lose theirs.
        draft.MarkLegacy("plugin_readmes");
        draft.Table("plugin_readme_records",
            [C("plugin_unique_identifier", Varchar(255), nullable: false), C("language", Varchar(10), nullable: false), C("content", Text, nullable: false)],
            index: ["plugin_unique_identifier"]);
        foreach (var table in draft.TableNames.Where(t => t != "plugin_readmes"))
        {
            draft.ReplaceColumn(table, "id", c => c with { Default = null, LegacyDefault = UuidDefault });
        }

        schemas.Add(draft.Snapshot("0.5.2"));

        // 0.5.4 (f272e6c3, 752cfbdf): the old plain index stays in upgraded databases only.
        draft.ReplaceIndex("idx_plugins_plugin_unique_identifier", i => i with { IsLegacy = true });
        draft.AddIndex(new ExpectedIndex("idx_plugin_unique_identifier", "plugins", ["plugin_unique_identifier"], ExpectedIndexKind.Unique));
        draft.ReplaceColumn("install_tasks", "status", c => c with { DataType = Varchar(50) });
        draft.AddIndex(new ExpectedIndex("idx_install_tasks_status", "install_tasks", ["status"], ExpectedIndexKind.Plain));
        schemas.Add(draft.Snapshot("0.5.4"));

        return schemas;
    }

    /// <summary>The schema being written down, release after release.</summary>
    private sealed class Draft
    {
        private readonly List<ExpectedTable> _tables = [];
        private readonly List<ExpectedIndex> _indexes = [];

        public IEnumerable<string> TableNames => _tables.Select(t => t.Name).ToList();

        public void Table(string name, IReadOnlyList<ExpectedColumn> columns, IReadOnlyList<string>? index = null, IReadOnlyList<string>? unique = null)
        {
            // docs/daemon/database.md#base-model: the base model comes first; before 0.5.2 every id has the uuid default.
            ExpectedColumn[] model = [C("id", Uuid, nullable: false, @default: UuidDefault), C("created_at", Timestamptz), C("updated_at", Timestamptz)];
            _tables.Add(new ExpectedTable(name, [.. model, .. columns]));
            _indexes.Add(new ExpectedIndex($"{name}_pkey", name, ["id"], ExpectedIndexKind.PrimaryKey));
            foreach (var column in unique ?? [])
            {
                _indexes.Add(new ExpectedIndex($"uni_{name}_{column}", name, [column], ExpectedIndexKind.UniqueConstraint));
            }

            foreach (var column in index ?? [])
            {
                _indexes.Add(new ExpectedIndex($"idx_{name}_{column}", name, [column], ExpectedIndexKind.Plain));
            }
        }

        // docs/daemon/database.md#tables: the shared installation shape; provider first in ai_model_installations.
        public void InstallationTable(string name, bool legacyDeclaration = false, bool providerFirst = false)
        {
            ExpectedColumn tenant = C("tenant_id", Uuid, nullable: false), provider = C("provider", Varchar(127), nullable: false);
            List<ExpectedColumn> columns = providerFirst ? [provider, tenant] : [tenant, provider];
            columns.Add(C("plugin_unique_identifier", Varchar(255)));
            columns.Add(C("plugin_id", Varchar(255)));
            if (legacyDeclaration)
            {
                columns.Add(C("declaration", Text, nullable: false));
            }

            Table(name, columns, index: ["tenant_id", "provider", "plugin_unique_identifier", "plugin_id"]);
        }

        public void AddColumn(string table, ExpectedColumn column) => Replace(table, t => t with { Columns = [.. t.Columns, column] });

        public void ReplaceColumn(string table, string column, Func<ExpectedColumn, ExpectedColumn> change) =>
            Replace(table, t => t with { Columns = t.Columns.Select(c => c.Name == column ? change(c) : c).ToList() });

        public void MarkLegacy(string table) => Replace(table, t => t with { IsLegacy = true });

        public void AddIndex(ExpectedIndex index) => _indexes.Add(index);

        public void ReplaceIndex(string name, Func<ExpectedIndex, ExpectedIndex> change)
        {
            var at = _indexes.FindIndex(i => i.Name == name);
            _indexes[at] = change(_indexes[at]);
        }

        public ExpectedSchema Snapshot(string version) => new(DaemonVersion.Parse(version), _tables.ToList(), _indexes.ToList());

        private void Replace(string table, Func<ExpectedTable, ExpectedTable> change)
        {
            var at = _tables.FindIndex(t => t.Name == table);
            _tables[at] = change(_tables[at]);
        }
    }
}
