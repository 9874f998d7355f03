using DbIntegrity.Core.Storage;
using DbIntegrity.Simulator.Seeding;

namespace DbIntegrity.Simulator.Reproduction;

/// <summary>
/// A plugin used by every tenant whose installed marker is gone: nothing logs an error, the plugin simply never starts
/// (docs/daemon/storage.md#the-30-second-loop "Silent", docs/daemon/rules.md#local-plugins-need-both-objects).
/// </summary>
public sealed class MissingInstalledObjectScenario : IReproductionScenario
{
    public string Name => "missing-installed-object";

    public string Summary => "langgenius/google, installed by all 4 tenants, has lost plugin/<identifier>; its package and rows are intact.";

    public string Story =>
        "plugin/<I> is a byte-for-byte copy of plugin_packages/<I> (docs/daemon/storage.md#key-layout), so a storage clean-up that removes duplicate objects "
        + "deletes it. The database still says Google is installed for four workspaces.";

    public string DaemonSymptoms =>
        "No log line: the 30-second loop launches only what it lists under plugin/, so Google never starts; Dify's calls to it fail with "
        + "`no available node` (docs/daemon/storage.md#the-30-second-loop).";

    public string SchemaTarget => "latest";

    public IReadOnlyDictionary<string, int> ExpectedFindings { get; } = new Dictionary<string, int>
    {
        ["plugin-installed-object-missing"] = 1,
    };

    public async Task<ScenarioOutcome> SeedAsync(DeploymentSeeder seeder, IObjectWriter objects, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(seeder);
        ArgumentNullException.ThrowIfNull(objects);
        var deployment = await ScenarioBase.SeedAsync(seeder, cancellationToken);
        var google = deployment.Installation(HealthyDeployment.Tenant(0), HealthyDeployment.Plugins.Google);
        await objects.DeleteAsync(google.InstalledKey!, cancellationToken);
        var tenants = deployment.InstallationsOf(google.Identifier.Value).Count;
        return new ScenarioOutcome(deployment, [$"deleted {google.InstalledKey} (plugins row {google.PluginRowId}, used by {tenants} tenants)"]);
    }
}
