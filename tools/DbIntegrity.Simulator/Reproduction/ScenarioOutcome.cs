using DbIntegrity.Simulator.Seeding;

namespace DbIntegrity.Simulator.Reproduction;

/// <summary>What a scenario seeded, and each thing it broke afterwards, in words (object keys, row ids).</summary>
public sealed record ScenarioOutcome(SeededDeployment Deployment, IReadOnlyList<string> Breakage);
