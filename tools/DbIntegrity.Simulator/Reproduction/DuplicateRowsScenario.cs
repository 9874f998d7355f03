using DbIntegrity.Core.Storage;
using DbIntegrity.Simulator.Seeding;

namespace DbIntegrity.Simulator.Reproduction;

/// <summary>
/// Two <c>plugins</c> rows for one identifier, the state that makes the daemon's 0.5.4 migration fail (dify#38276,
/// docs/daemon/database.md#schema-history and docs/daemon/issues.md#issues). It can only exist before 0.5.4's UNIQUE index, so the schema stops at 0.5.2.
/// </summary>
public sealed class DuplicateRowsScenario : IReproductionScenario
{
    public string Name => "duplicate-rows";

    public string Summary => "Schema of daemon 0.5.2; two workspaces installed langgenius/tavily at the same moment and got a plugins row each.";

    public string Story =>
        "Before daemon 0.5.4, plugins.plugin_unique_identifier had a plain index. Two installs of Tavily 0.0.5 ran concurrently; each "
        + "looked for the plugins row, found none and inserted its own with refers 1, so each row undercounts the two installations "
        + "(docs/daemon/database.md#invariants item 2). Uninstalling from one workspace would drop a row to refers 0 and delete plugin/<I> under the other.";

    public string DaemonSymptoms =>
        "The 30-second loop is quiet. Upgrading to daemon 0.5.4 or later fails at start with `failed to run migrations: could not create "
        + "unique index \"idx_plugin_unique_identifier\" (SQLSTATE 23505)` (dify#38276); so does `dbintegrity migrate up`.";

    public string SchemaTarget => "0.5.2";

    public IReadOnlyDictionary<string, int> ExpectedFindings { get; } = new Dictionary<string, int>
    {
        ["duplicate-plugin-row"] = 1,
        ["refers-mismatch"] = 2,
    };

    public async Task<ScenarioOutcome> SeedAsync(DeploymentSeeder seeder, IObjectWriter objects, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(seeder);
        var deployment = await ScenarioBase.SeedAsync(seeder, cancellationToken);
        var tavily = deployment.Upload(HealthyDeployment.Plugins.Tavily, "0.0.5").Package;
        var racing = await seeder.InstallRacingAsync([HealthyDeployment.Tenant(0), HealthyDeployment.Tenant(1)], tavily, cancellationToken);
        var breakage = racing
            .Select(i => $"tenant {i.TenantId} installed {i.Identifier} with its own plugins row {i.PluginRowId} (refers 1)")
            .ToList();
        return new ScenarioOutcome(deployment with { Installations = [.. deployment.Installations, .. racing] }, breakage);
    }
}
