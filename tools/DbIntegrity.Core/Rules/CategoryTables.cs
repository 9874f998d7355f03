namespace DbIntegrity.Core.Rules;

/// <summary>
/// The per-category installation tables and the declaration key that calls for each (reference §1.4 and §1.5 item 4).
/// An endpoint-only (extension) plugin has no category row.
/// </summary>
internal static class CategoryTables
{
    public static IReadOnlyList<(string Category, string Table)> All { get; } =
    [
        ("tool", "tool_installations"),
        ("model", "ai_model_installations"),
        ("agent_strategy", "agent_strategy_installations"),
        ("datasource", "datasource_installations"),
        ("trigger", "trigger_installations"),
    ];

    public static string? TableFor(string? category) => All.FirstOrDefault(c => c.Category == category).Table;
}
