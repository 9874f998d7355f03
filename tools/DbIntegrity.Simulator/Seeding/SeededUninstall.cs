namespace DbIntegrity.Simulator.Seeding;

/// <summary>What uninstalling removed (docs/daemon/storage.md#lifecycle, "Uninstall").</summary>
/// <param name="PluginRowDeleted">True when <c>refers</c> reached 0 and the <c>plugins</c> row went.</param>
/// <param name="DeletedKey"><c>plugin/&lt;I&gt;</c> when it was deleted (local plugins whose last installation went).</param>
public sealed record SeededUninstall(bool PluginRowDeleted, string? DeletedKey);
