using DbIntegrity.Cli;
using DbIntegrity.Cli.Commands.Repair;
using DbIntegrity.Core.Repair;
using DbIntegrity.Core.Reporting;
using DbIntegrity.Core.Rules;
using DbIntegrity.IntegrationTests.Checking;
using DbIntegrity.IntegrationTests.Infrastructure;

namespace DbIntegrity.IntegrationTests.Repairing;

/// <summary>
/// The built CLI, out of process, killed with SIGKILL at each point of an apply (the DBINTEGRITY_TEST_PAUSE_AT hook
/// stops it there): the rows are as before or fully repaired, never half; no broken reference appears that was not
/// there before; and running the same plan again finishes the repair.
/// </summary>
[Category("Integration")]
[Parallelizable(ParallelScope.All)]
[TestFixtureSource(typeof(TestStores), nameof(TestStores.All))]
public sealed class RepairCrashTests(TestStoreKind store)
{
    public static IEnumerable<string> Points() => RepairCheckpoints.All;

    [TestCaseSource(nameof(Points))]
    public async Task A_process_killed_during_apply_leaves_the_rows_as_before_or_fully_repaired_and_apply_again_finishes(string point)
    {
        await using var d = await DeploymentUnderTest.CreateAsync(store: store);
        await Incident.BreakAsync(d);
        await RowFaults.BreakAsync(d);
        var environment = CliRunner.Environment(d.Database, d.Bucket);
        using var files = new TempDirectory();
        var plan = await CliRunner.RunAsync(environment, "repair", "plan", "--grace", "0", "-o", files.Path("plan.json"));
        Assert.That(plan.ExitCode, Is.EqualTo((int)ExitCode.Findings), plan.ToString());
        var broken = await DeploymentSnapshot.TakeAsync(d.Database, d.Bucket);
        var brokenProblems = Problems(await d.ScanAsync());

        using (var process = CliProcess.Start(
            environment, new Dictionary<string, string> { [RepairApplyCommand.PauseVariable] = point, [RepairApplyCommand.HooksVariable] = RepairApplyCommand.HooksOn }, $"test hook: paused at {point}", "repair", "apply", files.Path("plan.json"), "--backup-dir", files.Path("backup")))
        {
            await process.WaitForMarkerAsync(TimeSpan.FromMinutes(2));
            await process.KillAsync();
        }

        var killed = await DeploymentSnapshot.TakeAsync(d.Database, d.Bucket);
        var killedProblems = Problems(await d.ScanAsync());
        var interrupted = Directory.GetDirectories(files.Path("backup"), "repair-*").Single();
        var interruptedRows = await File.ReadAllTextAsync(Path.Combine(interrupted, "rows.json"));
        var resumed = await CliRunner.RunAsync(environment, "repair", "apply", files.Path("plan.json"), "--backup-dir", files.Path("backup"));
        var repaired = await DeploymentSnapshot.TakeAsync(d.Database, d.Bucket);
        var check = await CliRunner.RunAsync(environment, "check", "--grace", "0");

        var committed = point is RepairCheckpoints.Committed or RepairCheckpoints.FirstObjectDeleted;
        var expected = committed ? repaired : broken;
        Assert.Multiple(() =>
        {
            Assert.That(repaired.RowsChangedIn(broken), Is.Not.Empty, "the plan changes rows");
            Assert.That(killed.RowsChangedIn(expected).Concat(expected.RowsChangedIn(killed)), Is.Empty,
                $"killed at {point}, the rows must be {(committed ? "fully repaired" : "as before")}");
            Assert.That(killedProblems.Except(brokenProblems), Is.Empty, "no broken reference the incident did not have");
            Assert.That(resumed.ExitCode, Is.EqualTo((int)ExitCode.Success), resumed.ToString());
            Assert.That(check.ExitCode, Is.EqualTo((int)ExitCode.Success), check.ToString());
            Assert.That(interruptedRows, Does.Contain("\"before\""), "the interrupted apply's backup holds the rows it was about to change");
            Assert.That(File.ReadAllText(Path.Combine(interrupted, "rows.json")), Is.EqualTo(interruptedRows), "resuming must not overwrite the interrupted apply's backup");
        });
    }

    private static HashSet<string> Problems(ScanReport report) =>
        [.. report.Findings.Where(f => f.Severity >= Severity.Warning).Select(f => f.Fingerprint)];
}
