namespace DbIntegrity.Core.Packages;

/// <summary>Where each category lives in the declaration JSON and in the database (docs/daemon/database.md#tables, docs/daemon/packages.md#declaration).</summary>
public static class PluginCategoryExtensions
{
    /// <summary>The declaration block (<c>tool</c>, <c>model</c>, …); null for <see cref="PluginCategory.Extension"/>.</summary>
    public static string? DeclarationKey(this PluginCategory category) => category switch
    {
        PluginCategory.Tool => "tool",
        PluginCategory.Model => "model",
        PluginCategory.AgentStrategy => "agent_strategy",
        PluginCategory.Datasource => "datasource",
        PluginCategory.Trigger => "trigger",
        _ => null,
    };

    /// <summary>The table that holds one row per installation of this category; null for extensions.</summary>
    public static string? InstallationTable(this PluginCategory category) => category switch
    {
        PluginCategory.Tool => "tool_installations",
        PluginCategory.Model => "ai_model_installations",
        PluginCategory.AgentStrategy => "agent_strategy_installations",
        PluginCategory.Datasource => "datasource_installations",
        PluginCategory.Trigger => "trigger_installations",
        _ => null,
    };

    /// <summary>The manifest's <c>plugins</c> list that names the provider file (<c>tools</c>, <c>models</c>, …).</summary>
    internal static string ManifestListKey(this PluginCategory category) => category switch
    {
        PluginCategory.Tool => "tools",
        PluginCategory.Model => "models",
        PluginCategory.AgentStrategy => "agent_strategies",
        PluginCategory.Datasource => "datasources",
        PluginCategory.Trigger => "triggers",
        _ => "endpoints",
    };
}
