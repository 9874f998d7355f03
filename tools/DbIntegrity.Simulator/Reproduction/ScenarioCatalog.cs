using DbIntegrity.Core;

namespace DbIntegrity.Simulator.Reproduction;

/// <summary>Every scenario <c>dbintegrity reproduce</c> knows, in the order <c>--list</c> shows them.</summary>
public static class ScenarioCatalog
{
    public static IReadOnlyList<IReproductionScenario> All { get; } =
    [
        new HealthyScenario(),
        new SeedIncidentScenario(),
        new MissingInstalledObjectScenario(),
        new DuplicateRowsScenario(),
        new StorageMigrationScenario(),
    ];

    /// <summary>The scenario named <paramref name="name"/>; a <see cref="ConfigurationException"/> listing the names otherwise.</summary>
    public static IReproductionScenario Find(string name) =>
        All.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.Ordinal))
        ?? throw new ConfigurationException(
            $"There is no scenario \"{name}\". Scenarios: {string.Join(", ", All.Select(s => s.Name))}. Run dbintegrity reproduce --list to see what each holds.");
}
