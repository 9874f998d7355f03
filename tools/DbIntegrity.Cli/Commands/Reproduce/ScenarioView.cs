using DbIntegrity.Simulator.Reproduction;
using Spectre.Console;

namespace DbIntegrity.Cli.Commands.Reproduce;

/// <summary>How <c>reproduce</c> prints the scenario list and what a run did (stdout).</summary>
internal static class ScenarioView
{
    public static void WriteList(IAnsiConsole console, IReadOnlyList<IReproductionScenario> scenarios)
    {
        foreach (var scenario in scenarios)
        {
            console.MarkupLineInterpolated($"[bold]{scenario.Name}[/]  (schema: {scenario.SchemaTarget})");
            console.MarkupLineInterpolated($"  {scenario.Summary}");
            console.MarkupLineInterpolated($"  How it happens: {scenario.Story}");
            console.MarkupLineInterpolated($"  Daemon: {scenario.DaemonSymptoms}");
            console.MarkupLineInterpolated($"  Expected findings (error and warning, check --grace 0): {Expected(scenario)}");
            console.WriteLine();
        }

        console.MarkupLine("Seed one with [bold]dbintegrity reproduce <scenario>[/] into an empty database and bucket (it writes; --force replaces a previous scenario).");
    }

    public static void WriteResult(IAnsiConsole console, ReproductionResult result, string database, string storage)
    {
        var scenario = result.Scenario;
        if (result.Skipped)
        {
            console.MarkupLineInterpolated($"Left {database} and {storage} as they were (--if-empty): {result.Found.Describe()}. Nothing seeded.");
            return;
        }

        console.MarkupLineInterpolated($"Seeded [bold]{scenario.Name}[/] into {database} and {storage}.");
        if (result.Wiped is { } wiped)
        {
            console.MarkupLineInterpolated($"  wiped first (--force): {wiped.TablesEmptied.Count} daemon tables emptied, {wiped.ObjectsDeleted} objects deleted");
        }

        var migration = result.Migration!;
        var schema = migration.Executed.Count == 0 ? "already at" : $"applied {migration.Executed.Count} migrations, now at";
        console.MarkupLineInterpolated($"  schema: {schema} migration {migration.Current?.Id} ({migration.Current?.Origin})");
        var deployment = result.Outcome!.Deployment;
        console.MarkupLineInterpolated(
            $"  deployment: {deployment.Tenants.Count} tenants, {deployment.Installations.Count} installations, {deployment.Uploads.Count} uploaded packages, {deployment.Endpoints.Count} endpoints");
        foreach (var line in result.Outcome.Breakage)
        {
            console.MarkupLineInterpolated($"  broken: {line}");
        }

        if (result.Volume is { } volume)
        {
            console.MarkupLineInterpolated(
                $"  compose volume: {volume.WorkingFolders.Count} working folders under {ComposeVolume.WorkingFolder}/ ({volume.WorkingFilesWritten} files written, existing ones kept), {volume.PersistenceKeys.Count} KV entries under the persistence prefix; check and repair never read or change them");
        }

        console.MarkupLineInterpolated($"  expected findings: {Expected(scenario)}");
        // The scenario's objects were written seconds ago; the default grace period would count them as in flight.
        console.MarkupLine("Next: [bold]dbintegrity check --grace 0[/] (its objects are seconds old; without --grace 0 the check treats them as in flight).");
    }

    private static string Expected(IReproductionScenario scenario) =>
        scenario.ExpectedFindings.Count == 0
            ? "none (only harmless info orphans)"
            : string.Join(", ", scenario.ExpectedFindings.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => $"{f.Key} {f.Value}"));
}
