using DbIntegrity.Core.Plugins;

namespace DbIntegrity.Simulator.Seeding;

/// <summary>An <c>install_tasks</c> row and the identifiers it lists.</summary>
public sealed record SeededInstallTask(Guid Id, Guid TenantId, InstallTaskStatus Status, IReadOnlyList<PluginUniqueIdentifier> Plugins);
