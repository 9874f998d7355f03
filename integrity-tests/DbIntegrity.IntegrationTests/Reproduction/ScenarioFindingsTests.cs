using System.Text.Json;
using DbIntegrity.Cli;
using DbIntegrity.Core.Configuration;
using DbIntegrity.Core.Deployments;
using DbIntegrity.Core.Reporting;
using DbIntegrity.Core.Rules;
using DbIntegrity.Core.Scanning;
using DbIntegrity.IntegrationTests.Infrastructure;
using DbIntegrity.Simulator.Reproduction;

namespace DbIntegrity.IntegrationTests.Reproduction;

/// <summary>Each scenario, seeded by <c>dbintegrity reproduce</c> into an empty database and bucket, produces exactly the findings it declares.</summary>
[Category("Integration")]
[Parallelizable(ParallelScope.Children)]
[TestFixtureSource(typeof(TestStores), nameof(TestStores.All))]
public sealed class ScenarioFindingsTests(TestStoreKind store)
{
    private static IEnumerable<string> ScenarioNames => ScenarioCatalog.All.Select(s => s.Name);

    // The harmless orphans (docs/daemon/rules.md#harmless-orphans) each scenario's description implies, by rule. The healthy deployment has two
    // uploaded-but-never-installed packages, whose declarations no plugins row has (orphan-declaration). seed-incident
    // deletes the package of one of them, which turns it into declaration-package-missing. storage-migration leaves the
    // ':'-mangled copies of the ten packages under plugin_packages/ (orphan-package-object) and no intact package for
    // the two uploads. duplicate-rows installs one of them (Tavily 0.0.5, twice); missing-installed-object keeps both.
    private static readonly Dictionary<string, Dictionary<string, int>> ExpectedInfo = new(StringComparer.Ordinal)
    {
        ["healthy"] = new() { ["orphan-declaration"] = 2 },
        ["seed-incident"] = new() { ["orphan-declaration"] = 1 },
        ["missing-installed-object"] = new() { ["orphan-declaration"] = 2 },
        ["duplicate-rows"] = new() { ["orphan-declaration"] = 1 },
        ["storage-migration"] = new() { ["orphan-package-object"] = 10 },
    };

    [TestCaseSource(nameof(ScenarioNames))]
    public async Task Reproduce_seeds_a_deployment_whose_deep_check_reports_exactly_the_declared_findings(string name)
    {
        // Given an empty database (no schema yet) and an empty bucket
        await using var database = await TestDatabase.CreateAsync();
        await using var bucket = await TestBucket.CreateUnusedAsync(store);
        var environment = CliRunner.Environment(database, bucket);
        var scenario = ScenarioCatalog.Find(name);

        // When the scenario is reproduced and checked
        var seeded = await CliRunner.RunAsync(environment, "reproduce", name);
        var check = await CliRunner.RunAsync(environment, "check", "--deep", "--grace", "0", "--format", "json");

        // Then the check reports exactly the declared error and warning findings (as this store holds the scenario's folder markers)
        Assert.That(seeded.ExitCode, Is.EqualTo((int)ExitCode.Success), seeded.ToString());
        var expected = ScenarioExpectations.On(bucket, scenario.ExpectedFindings, ScenarioExpectations.MarkersIn(seeded.Stdout));
        var expectedExit = expected.Count == 0 ? ExitCode.Success : ExitCode.Findings;
        Assert.That(check.ExitCode, Is.EqualTo((int)expectedExit), check.ToString());
        Assert.That(SeriousFindings(check.Stdout), Is.EquivalentTo(expected), check.Stdout);
        Assert.That(check.Stdout, Does.Not.Contain("cwd/").And.Not.Contain("persistence/"), "the daemon's working folders and KV storage are never reported");
        Assert.That(Findings(check.Stdout, "info"), Is.EquivalentTo(ExpectedInfo[name]), check.Stdout);
    }

    [Test]
    public async Task The_scanner_agrees_with_the_seed_incident_declaration()
    {
        // Given seed-incident seeded through the Core API
        await using var database = await TestDatabase.CreateAsync();
        await using var bucket = await TestBucket.CreateUnusedAsync(store);
        var scenario = new SeedIncidentScenario();
        IReadOnlyList<string> markers;
        await using (var reproducer = await Reproducer.CreateAsync(database.Settings, bucket.Store, StorageLayout.Default, CancellationToken.None))
        {
            var result = await reproducer.RunAsync(scenario, new ReproductionOptions(), progress: null, CancellationToken.None);
            Assert.That(result.Outcome!.Breakage, Has.Count.EqualTo(7), "four packages deleted, two folder markers, one mangled copy");
            markers = ScenarioExpectations.MarkersIn(string.Join('\n', result.Outcome.Breakage));
        }

        // When the scanner runs
        var report = await IntegrityScanner.ScanAsync(
            new DeploymentReader(database.DataSource, bucket.Store, StorageLayout.Default), new ScanOptions { Deep = true, Grace = TimeSpan.Zero }, progress: null, CancellationToken.None);

        // Then it reports the declared findings, on the openai declarations and the plugin/ junk
        var serious = report.Findings.Where(f => f.Severity != Severity.Info).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(report.Status, Is.EqualTo(ScanStatus.Inconsistent));
            Assert.That(serious.GroupBy(f => f.Rule).ToDictionary(g => g.Key, g => g.Count()), Is.EquivalentTo(ScenarioExpectations.On(bucket, scenario.ExpectedFindings, markers)));
            Assert.That(serious.Where(f => f.Rule == "declaration-package-missing").Select(f => f.PluginId), Is.All.EqualTo("langgenius/openai"));
            Assert.That(serious.Where(f => f.Rule == "installed-key-invalid").Select(f => f.ObjectKey),
                Is.SupersetOf(markers.SelectMany(bucket.FolderMarkerKeys).Where(k => k.StartsWith("plugin/", StringComparison.Ordinal))).And.Some.StartsWith("plugin/langgenius/openai_0.2.7@"));
        });
    }

    /// <summary>Error and warning findings of a JSON report, counted by rule (all of them are listed; only info is capped).</summary>
    internal static Dictionary<string, int> SeriousFindings(string json) => Findings(json, "error", "warning");

    /// <summary>Findings of the given severities, counted by rule. Info is capped only far above these scenarios' counts.</summary>
    private static Dictionary<string, int> Findings(string json, params string[] severities)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.GetProperty("findings").EnumerateArray()
            .Where(f => severities.Contains(f.GetProperty("severity").GetString()))
            .GroupBy(f => f.GetProperty("rule").GetString()!)
            .ToDictionary(g => g.Key, g => g.Count());
    }
}
