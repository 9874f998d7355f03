using DbIntegrity.Core.Migrating;

namespace DbIntegrity.Simulator.Reproduction;

/// <summary>What one <c>reproduce</c> run did.</summary>
/// <param name="Scenario">The scenario.</param>
/// <param name="Found">What the deployment held before the run.</param>
/// <param name="Wiped">What <c>--force</c> wiped; null when nothing was wiped.</param>
/// <param name="Migration">The migrations applied; null when the run was skipped.</param>
/// <param name="Outcome">What was seeded and broken; null when the run was skipped.</param>
/// <param name="Volume">The working folders and KV entries laid out beside it (<see cref="ReproductionOptions.ComposeVolume"/>); else null.</param>
public sealed record ReproductionResult(
    IReproductionScenario Scenario,
    FootprintContents Found,
    WipeResult? Wiped,
    MigrationRunResult? Migration,
    ScenarioOutcome? Outcome,
    ComposeVolumeContents? Volume = null)
{
    /// <summary>The deployment was not empty and the run left it as it was.</summary>
    public bool Skipped => Outcome is null;
}
