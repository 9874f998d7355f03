using System.Text.Json;
using DbIntegrity.Cli;
using DbIntegrity.Core.Migrating;
using DbIntegrity.IntegrationTests.Gate.TestMigrations;
using DbIntegrity.Simulator.Seeding;

namespace DbIntegrity.IntegrationTests.Gate;

/// <summary>
/// A baseline of accepted findings, like a linter's: known breakage is accepted by check, gate and migrate up --gate,
/// new breakage fails, and breakage repaired since is reported as fixed.
/// </summary>
[Category("Integration")]
[Parallelizable(ParallelScope.Children)]
// Its tests run at once, each with its own folder: one instance per test, or they share _directory and leave folders behind.
[FixtureLifeCycle(LifeCycle.InstancePerTestCase)]
public sealed class BaselineCommandTests
{
    private string _directory = null!;

    [SetUp]
    public void CreateDirectory() => _directory = Directory.CreateTempSubdirectory("dbi-baseline-").FullName;

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    [Test]
    public async Task Known_findings_are_accepted_new_ones_fail_and_repaired_ones_are_reported_fixed()
    {
        // Given a deployment with old breakage: one local plugin lost its installed marker.
        await using var deployment = await GatedDeployment.CreateAsync("latest");
        var old = deployment.Deployment!.Installation(HealthyDeployment.Tenant(0), HealthyDeployment.Plugins.Google);
        var marker = await deployment.Bucket.Store.OpenReadAsync(old.InstalledKey!, CancellationToken.None);
        using var saved = new MemoryStream();
        await marker!.CopyToAsync(saved);
        await marker.DisposeAsync();
        await deployment.Bucket.Store.DeleteAsync(old.InstalledKey!, CancellationToken.None);
        var baseline = Path.Combine(_directory, "dbintegrity-baseline.json");

        // When the team writes a baseline and gates with it.
        var failing = await deployment.RunAsync("check", "--grace", "0");
        var written = await deployment.RunAsync("check", "--grace", "0", "--write-baseline", baseline);
        var accepted = await deployment.RunAsync("check", "--grace", "0", "--baseline", baseline);
        var gateWithout = await deployment.RunAsync("gate", "--grace", "0");
        var gateWith = await deployment.RunAsync("gate", "--grace", "0", "--baseline", baseline);
        var migrate = await deployment.RunAsync(
            MigrationCatalog.Default.With(typeof(M1000000910_AuditTable)), "migrate", "up", "--gate", "--grace", "0", "--baseline", baseline);

        // Then the old breakage fails nothing once accepted, and stays visible.
        Assert.Multiple(() =>
        {
            Assert.That(failing.ExitCode, Is.EqualTo((int)ExitCode.Findings), failing.ToString());
            Assert.That(written.ExitCode, Is.EqualTo((int)ExitCode.Success), written.ToString());
            Assert.That(File.ReadAllText(baseline), Does.Contain(old.Identifier.Value));
            Assert.That(accepted.ExitCode, Is.EqualTo((int)ExitCode.Success), accepted.ToString());
            Assert.That(accepted.Stdout, Does.Contain("accepted by the baseline"));
            Assert.That(gateWithout.ExitCode, Is.EqualTo((int)ExitCode.Findings), gateWithout.ToString());
            Assert.That(gateWith.ExitCode, Is.EqualTo((int)ExitCode.Success), gateWith.ToString());
            Assert.That(migrate.ExitCode, Is.EqualTo((int)ExitCode.Success), migrate.ToString());
            Assert.That(migrate.Stdout, Does.Contain("committed 1000000910"));
        });

        // When new breakage appears beside it.
        var fresh = deployment.Deployment.Installation(HealthyDeployment.Tenant(1), HealthyDeployment.Plugins.OpenAi);
        await deployment.Bucket.Store.DeleteAsync(fresh.InstalledKey!, CancellationToken.None);
        var withNew = await deployment.RunAsync("check", "--grace", "0", "--baseline", baseline, "--format", "json");

        // Then only the new one fails.
        Assert.That(withNew.ExitCode, Is.EqualTo((int)ExitCode.Findings), withNew.ToString());
        using (var json = JsonDocument.Parse(withNew.Stdout))
        {
            var errors = json.RootElement.GetProperty("findings").EnumerateArray().Where(f => f.GetProperty("severity").GetString() == "error").ToList();
            Assert.That(errors.Where(f => f.GetProperty("accepted").GetBoolean()).Select(f => f.GetProperty("identifier").GetString()), Is.All.EqualTo(old.Identifier.Value).And.Not.Empty);
            Assert.That(errors.Where(f => !f.GetProperty("accepted").GetBoolean()).Select(f => f.GetProperty("identifier").GetString()), Is.All.EqualTo(fresh.Identifier.Value).And.Not.Empty);
        }

        // When the old breakage is repaired.
        saved.Position = 0;
        await deployment.Bucket.Store.PutAsync(old.InstalledKey!, saved, CancellationToken.None);
        var repaired = await deployment.RunAsync("check", "--grace", "0", "--baseline", baseline, "--format", "json");

        // Then its baseline entry is reported fixed.
        using var after = JsonDocument.Parse(repaired.Stdout);
        var fixedEntries = after.RootElement.GetProperty("baseline").GetProperty("fixed").EnumerateArray().Select(e => e.GetProperty("fingerprint").GetString()).ToList();
        Assert.That(fixedEntries, Is.Not.Empty.And.All.Contain(old.Identifier.Value));
    }

    [Test]
    public async Task An_incomplete_scan_writes_no_baseline_and_exits_3()
    {
        await using var deployment = await GatedDeployment.CreateAsync("latest", seed: false);
        var baseline = Path.Combine(_directory, "baseline.json");
        var environment = deployment.Environment.With(new Dictionary<string, string?> { ["DB_PORT"] = "1" });

        var run = await Infrastructure.CliRunner.RunAsync(environment, "check", "--write-baseline", baseline);

        Assert.That(run.ExitCode, Is.EqualTo((int)ExitCode.Incomplete), run.ToString());
        Assert.That(File.Exists(baseline), Is.False);
    }
}
