namespace DbIntegrity.Simulator.Seeding;

/// <summary>
/// How an installed plugin runs: <c>plugins.install_type</c> and <c>plugin_installations.runtime_type</c>
/// (docs/daemon/database.md#tables, <c>pkg/entities/plugin_entities/runtime.go</c>).
/// </summary>
public enum PluginRuntime
{
    /// <summary>Launched from <c>plugin/&lt;I&gt;</c> by the daemon (<c>PLATFORM=local</c>).</summary>
    Local,

    /// <summary>A debugging plugin connected over TCP: no package objects, the declaration in <c>plugins.remote_declaration</c>.</summary>
    Remote,

    /// <summary>Runs as a function (<c>PLATFORM=serverless</c>): a <c>serverless_runtimes</c> row, no <c>plugin/&lt;I&gt;</c>.</summary>
    Serverless,
}
