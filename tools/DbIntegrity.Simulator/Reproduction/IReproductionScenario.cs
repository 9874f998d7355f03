using DbIntegrity.Core.Storage;
using DbIntegrity.Simulator.Seeding;

namespace DbIntegrity.Simulator.Reproduction;

/// <summary>
/// One deployment state that <see cref="Reproducer"/> seeds into an empty database and bucket: the healthy multi-tenant
/// deployment of <see cref="ScenarioBase"/> plus one kind of breakage seen in the field, and the findings a check must
/// report for it. One scenario per file; <see cref="ScenarioCatalog"/> lists them.
/// </summary>
public interface IReproductionScenario
{
    /// <summary>The name on the command line, e.g. <c>seed-incident</c>.</summary>
    string Name { get; }

    /// <summary>One line: what the deployment holds.</summary>
    string Summary { get; }

    /// <summary>How a real deployment gets into this state, with the upstream issue it reproduces.</summary>
    string Story { get; }

    /// <summary>What the daemon (and Dify) do about it: the log lines of the 30-second loop, failing installs (docs/daemon/storage.md#the-30-second-loop).</summary>
    string DaemonSymptoms { get; }

    /// <summary>The migration target the database is brought to before seeding: <c>latest</c> or a daemon version.</summary>
    string SchemaTarget { get; }

    /// <summary>
    /// The error and warning findings a check with <c>--grace 0</c> must report, by rule id (an empty map: none). Info
    /// findings, the harmless orphans of docs/daemon/rules.md#harmless-orphans, are not part of the contract.
    /// </summary>
    IReadOnlyDictionary<string, int> ExpectedFindings { get; }

    /// <summary>Seeds the deployment through <paramref name="seeder"/> and breaks it through <paramref name="objects"/>.</summary>
    Task<ScenarioOutcome> SeedAsync(DeploymentSeeder seeder, IObjectWriter objects, CancellationToken cancellationToken);
}
