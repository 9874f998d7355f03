namespace DbIntegrity.Simulator.Seeding;

/// <summary>An <c>endpoints</c> row (reference §1.4).</summary>
public sealed record SeededEndpoint(Guid Id, Guid TenantId, string PluginId, string Name, string HookId);
