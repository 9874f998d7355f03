namespace DbIntegrity.Core.Packages;

/// <summary>
/// What a plugin provides, as the daemon derives it from the declaration (<c>PluginDeclaration.Category()</c>,
/// docs/daemon/database.md#invariants item 4). <see cref="Extension"/> is an endpoint-only plugin: it has no category row.
/// </summary>
public enum PluginCategory
{
    Tool,
    Model,
    AgentStrategy,
    Datasource,
    Trigger,
    Extension,
}
