namespace DbIntegrity.Core.Packages;

/// <summary>
/// The fields the daemon's <c>PluginDeclaration</c> struct declares with their Go types (daemon 0.6.10,
/// pkg/entities/plugin_entities/plugin_declaration.go: PluginDeclarationWithoutAdvancedFields and the PluginExtra pass
/// of its UnmarshalJSON; I18nObject from basic_type.go; Version, DifyManifestType, PluginTag, Arch and Language are
/// string types). The provider blocks (tool, model, …) are pointers to structs: only their being objects is checked
/// here; their inner fields are read by <see cref="DeclarationReader"/> where the checker uses them.
/// </summary>
internal static class GoDeclaration
{
    private static readonly GoType I18n = new GoType.Struct("plugin_entities.I18nObject",
        [("en_US", GoType.String), ("ja_JP", GoType.String), ("zh_Hans", GoType.String), ("pt_BR", GoType.String)]);

    private static readonly GoType Enabled = new GoType.Struct("permission requirement", [("enabled", GoType.Bool)]);

    private static readonly GoType Strings = new GoType.Slice(GoType.String);

    private static GoType Provider(string name) => new GoType.Struct(name, []);

    /// <summary>The whole declaration.</summary>
    public static readonly GoType Declaration = new GoType.Struct("plugin_entities.PluginDeclaration",
    [
        ("version", GoType.String),
        ("type", GoType.String),
        ("author", GoType.String),
        ("name", GoType.String),
        ("label", I18n),
        ("description", I18n),
        ("icon", GoType.String),
        ("icon_dark", GoType.String),
        ("resource", new GoType.Struct("plugin_entities.PluginResourceRequirement",
        [
            ("memory", GoType.Int64),
            ("permission", new GoType.Struct("plugin_entities.PluginPermissionRequirement",
            [
                ("tool", Enabled),
                ("model", new GoType.Struct("plugin_entities.PluginPermissionModelRequirement",
                [
                    ("enabled", GoType.Bool), ("llm", GoType.Bool), ("text_embedding", GoType.Bool), ("rerank", GoType.Bool),
                    ("tts", GoType.Bool), ("speech2text", GoType.Bool), ("moderation", GoType.Bool),
                ])),
                ("node", Enabled),
                ("endpoint", Enabled),
                ("app", Enabled),
                ("storage", new GoType.Struct("plugin_entities.PluginPermissionStorageRequirement", [("enabled", GoType.Bool), ("size", GoType.Uint64)])),
            ])),
        ])),
        ("plugins", new GoType.Struct("plugin_entities.PluginExtensions",
        [
            ("tools", Strings), ("models", Strings), ("endpoints", Strings), ("agent_strategies", Strings), ("datasources", Strings), ("triggers", Strings),
        ])),
        ("meta", new GoType.Struct("plugin_entities.PluginMeta",
        [
            ("version", GoType.String),
            ("arch", Strings),
            ("runner", new GoType.Struct("plugin_entities.PluginRunner", [("language", GoType.String), ("version", GoType.String), ("entrypoint", GoType.String)])),
            ("minimum_dify_version", GoType.String),
        ])),
        ("tags", Strings),
        ("created_at", GoType.Time),
        ("privacy", GoType.String),
        ("repo", GoType.String),
        ("verified", GoType.Bool),
        ("endpoint", Provider("plugin_entities.EndpointProviderDeclaration")),
        ("model", Provider("plugin_entities.ModelProviderDeclaration")),
        ("tool", Provider("plugin_entities.ToolProviderDeclaration")),
        ("agent_strategy", Provider("plugin_entities.AgentStrategyProviderDeclaration")),
        ("datasource", Provider("plugin_entities.DatasourceProviderDeclaration")),
        ("trigger", Provider("plugin_entities.TriggerProviderDeclaration")),
    ]);
}
