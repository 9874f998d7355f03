namespace DbIntegrity.Simulator.Seeding;

/// <summary>An <c>endpoints</c> row (docs/daemon/database.md#tables).</summary>
public sealed record SeededEndpoint(Guid Id, Guid TenantId, string PluginId, string Name, string HookId);
