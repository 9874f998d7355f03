using DbIntegrity.Core.Plugins;

namespace DbIntegrity.Simulator.Seeding;

/// <summary>A <c>plugin_readme_records</c> row (docs/daemon/database.md#tables, daemon 0.5.2+).</summary>
public sealed record SeededReadme(Guid Id, PluginUniqueIdentifier Identifier, string Language);
