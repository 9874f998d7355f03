using System.Text.Json;
using DbIntegrity.Cli;
using DbIntegrity.Core.Migrating;
using DbIntegrity.Core.Reporting;
using DbIntegrity.Core.Scanning;
using DbIntegrity.IntegrationTests.Infrastructure;
using static DbIntegrity.Simulator.Seeding.HealthyDeployment;

namespace DbIntegrity.IntegrationTests.Checking;

[Category("Integration")]
[Parallelizable(ParallelScope.All)]
[TestFixtureSource(typeof(TestStores), nameof(TestStores.All))]
public sealed class CheckScenarioTests(TestStoreKind store)
{
    public static IEnumerable<string> DaemonVersions() => MigrationCatalog.Default.DaemonVersions.Select(v => v.ToString());

    [TestCaseSource(nameof(DaemonVersions))]
    public async Task A_consistent_deployment_exits_0_with_no_error_or_warning_at_every_schema_version(string version)
    {
        await using var d = await DeploymentUnderTest.CreateAsync(version, store: store);

        var result = await CliRunner.RunAsync(CliRunner.Environment(d.Database, d.Bucket), "check", "--format", "json", "--grace", "0", "--deep");

        Assert.That(result.ExitCode, Is.EqualTo((int)ExitCode.Success), result.ToString());
        using var json = JsonDocument.Parse(result.Stdout);
        var bySeverity = json.RootElement.GetProperty("summary").GetProperty("bySeverity");
        Assert.That((bySeverity.GetProperty("error").GetInt32(), bySeverity.GetProperty("warning").GetInt32()), Is.EqualTo((0, 0)));
        Assert.That(json.RootElement.GetProperty("summary").GetProperty("scanned").GetProperty("plugin_packages/").GetInt64(), Is.GreaterThan(5), "the scan read a real deployment");
    }

    [Test]
    public async Task The_incident_is_reported_with_exit_1_and_messages_an_operator_acts_on()
    {
        await using var d = await DeploymentUnderTest.CreateAsync(store: store);
        // The incident: openai versions uploaded (declarations) whose packages are gone, folder markers, a mangled copy.
        foreach (var version in new[] { "0.2.6", "0.2.7", "0.2.8" })
        {
            await d.Bucket.Store.DeleteAsync(d.Deployment.Upload(Plugins.OpenAi, version).PackageKey, CancellationToken.None);
        }

        foreach (var marker in new[] { "plugin/", "plugin/langgenius/" })
        {
            await d.Bucket.Store.PutAsync(marker, ReadOnlyMemory<byte>.Empty, CancellationToken.None);
        }

        var agent = d.Deployment.Installation(Tenant(0), Plugins.Agent);
        await d.Bucket.Store.CopyAsync(d.Bucket.Name, agent.InstalledKey!, agent.InstalledKey!.Replace(':', '_'), CancellationToken.None);
        // The markers as the store keeps them: on S3 both keys; none on a local folder (a marker is the folder); Azurite
        // keeps plugin/langgenius without its "/" (and plugin outside the prefix).
        var markers = new[] { "plugin/", "plugin/langgenius/" }.SelectMany(d.Bucket.FolderMarkerKeys).Where(k => k.StartsWith("plugin/", StringComparison.Ordinal)).ToList();

        var result = await CliRunner.RunAsync(CliRunner.Environment(d.Database, d.Bucket), "check", "--grace", "0");
        var json = await CliRunner.RunAsync(CliRunner.Environment(d.Database, d.Bucket), "check", "--grace", "0", "--format", "json");

        Assert.That(result.ExitCode, Is.EqualTo((int)ExitCode.Findings), result.ToString());
        Assert.That(result.Stdout, Does.Contain("declaration-package-missing").And.Contain("installed-key-invalid").And.Contain("inconsistent"));
        Assert.That(result.Stdout, Does.Contain("plugin_unique_identifier is not valid").And.Contain("every 30 seconds").And.Contain("':' replaced"));
        if (markers.Any(k => k.EndsWith('/')))
        {
            Assert.That(result.Stdout, Does.Contain("folder marker"));
        }

        Assert.That(result.Stdout + result.Stderr, Does.Not.Contain("cwd/").And.Not.Contain("persistence/"), "the daemon's working folders and KV storage are never read");
        using var report = JsonDocument.Parse(json.Stdout);
        var byRule = report.RootElement.GetProperty("summary").GetProperty("byRule");
        Assert.That(byRule.GetProperty("declaration-package-missing").GetInt32(), Is.EqualTo(3));
        Assert.That(byRule.GetProperty("installed-key-invalid").GetInt32(), Is.EqualTo(markers.Count + 1));
        // The two installed openai versions also lose what they launch from.
        Assert.That(byRule.GetProperty("plugin-package-missing").GetInt32(), Is.EqualTo(2));
    }

    [Test]
    public async Task Rows_and_objects_younger_than_the_grace_period_are_in_flight_not_broken()
    {
        await using var d = await DeploymentUnderTest.CreateAsync(store: store);
        // An install the daemon is half-way through: the rows are written, the marker copy has not happened yet.
        var young = d.Seeder.WithOptions(d.Seeder.Options with { RowAge = TimeSpan.Zero });
        var installation = await young.InstallAsync(Tenant(2), d.Deployment.Upload(Plugins.Tavily, "0.0.5").Package, "marketplace", CancellationToken.None);
        await d.Bucket.Store.DeleteAsync(installation.InstalledKey!, CancellationToken.None);

        var withGrace = await d.ScanAsync(grace: TimeSpan.FromMinutes(5));
        var withoutGrace = await d.ScanAsync(grace: TimeSpan.Zero);

        Assert.That(withGrace.Status, Is.EqualTo(ScanStatus.Consistent));
        Assert.That(withGrace.InFlight, Is.EqualTo(1));
        Assert.That(DeploymentUnderTest.Problems(withoutGrace), Is.EquivalentTo(new Dictionary<string, int> { ["plugin-installed-object-missing"] = 1 }));
    }

    [Test]
    public async Task A_missing_object_that_appears_before_the_recheck_is_not_reported()
    {
        await using var d = await DeploymentUnderTest.CreateAsync(store: store);
        var google = d.Deployment.Installation(Tenant(0), Plugins.Google);
        var bytes = google.Package.Bytes;
        await d.Bucket.Store.DeleteAsync(google.InstalledKey!, CancellationToken.None);
        // The daemon finishes copying the marker while the scan is between its snapshot and its confirmation.
        var progress = new Inline(p =>
        {
            if (p.Phase.StartsWith("confirming", StringComparison.Ordinal))
            {
                d.Bucket.Store.PutAsync(google.InstalledKey!, bytes, CancellationToken.None).GetAwaiter().GetResult();
            }
        });

        var report = await d.ScanAsync(progress: progress);

        Assert.That(report.Status, Is.EqualTo(ScanStatus.Consistent));
        Assert.That(report.Unconfirmed, Is.EqualTo(1));
    }

    private sealed class Inline(Action<ScanProgress> report) : IProgress<ScanProgress>
    {
        public void Report(ScanProgress value) => report(value);
    }
}
