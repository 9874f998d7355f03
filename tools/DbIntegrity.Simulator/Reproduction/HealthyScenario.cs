using DbIntegrity.Core.Storage;
using DbIntegrity.Simulator.Seeding;

namespace DbIntegrity.Simulator.Reproduction;

/// <summary>The baseline: a consistent deployment, so an operator can see what "clean" looks like before breaking it.</summary>
public sealed class HealthyScenario : IReproductionScenario
{
    public string Name => "healthy";

    public string Summary => "A consistent deployment: 4 tenants; tool, model, agent-strategy, datasource, trigger and endpoint plugins; endpoints.";

    public string Story =>
        "What the daemon writes when everything goes right (docs/daemon/storage.md#lifecycle): uploads, installs shared across tenants, two versions of OpenAI "
        + "in different workspaces, endpoints, a debugging plugin, readmes, a failed install task, and uploaded packages nobody installed "
        + "(harmless orphans, docs/daemon/rules.md#harmless-orphans).";

    public string DaemonSymptoms => "None: every key under plugin/ parses and has its package, so the 30-second loop launches the plugins and logs no error.";

    public string SchemaTarget => "latest";

    public IReadOnlyDictionary<string, int> ExpectedFindings { get; } = new Dictionary<string, int>();

    public async Task<ScenarioOutcome> SeedAsync(DeploymentSeeder seeder, IObjectWriter objects, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(seeder);
        return new ScenarioOutcome(await ScenarioBase.SeedAsync(seeder, cancellationToken), []);
    }
}
