using DbIntegrity.Simulator.Seeding;

namespace DbIntegrity.Simulator.Reproduction;

/// <summary>The healthy deployment every scenario starts from, so that each breaks a realistic deployment, not an empty one.</summary>
public static class ScenarioBase
{
    /// <summary>
    /// Four tenants; tool, model, agent-strategy, datasource, trigger and endpoint-only plugins; endpoints; a debugging
    /// plugin; uploaded packages nobody installed; readmes; a failed install task. No serverless plugin: the demo daemon
    /// runs <c>PLATFORM=local</c>, and a deployment does not mix the two (docs/daemon/rules.md#serverless).
    /// </summary>
    public static HealthyDeploymentOptions Options { get; } = new() { TenantCount = 4, IncludeServerless = false };

    public static Task<SeededDeployment> SeedAsync(DeploymentSeeder seeder, CancellationToken cancellationToken) =>
        HealthyDeployment.SeedAsync(seeder, Options, cancellationToken);
}
