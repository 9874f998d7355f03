namespace DbIntegrity.Simulator.Seeding;

/// <summary>The one category row of an installation (<c>tool_installations</c>, <c>ai_model_installations</c>, …, docs/daemon/database.md#invariants item 4).</summary>
public sealed record SeededCategoryRow(string Table, Guid Id, string Provider);
