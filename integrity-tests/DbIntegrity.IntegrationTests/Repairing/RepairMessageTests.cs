using System.Text.RegularExpressions;
using DbIntegrity.Cli;
using DbIntegrity.IntegrationTests.Checking;
using DbIntegrity.IntegrationTests.Infrastructure;

namespace DbIntegrity.IntegrationTests.Repairing;

/// <summary>What backup and repair say, checked where they need a real database and bucket.</summary>
[Category("Integration")]
[Parallelizable(ParallelScope.All)]
public sealed class RepairMessageTests
{
    [Test]
    public async Task A_backup_that_copied_nothing_says_so_and_suggests_no_restore()
    {
        await using var database = await TestDatabase.CreateMigratedAsync();
        await using var bucket = await TestBucket.CreateAsync();

        var run = await CliRunner.RunAsync(CliRunner.Environment(database, bucket), "backup");

        Assert.That(run.Stdout, Does.Contain("Nothing was copied to"), run.ToString());
        Assert.That(run.Stdout, Does.Not.Contain("every copy read back and verified").And.Not.Contain("dbintegrity restore"));
    }

    [Test]
    public async Task A_backup_to_a_missing_bucket_names_the_to_flag()
    {
        await using var database = await TestDatabase.CreateMigratedAsync();
        await using var bucket = await TestBucket.CreateAsync();
        await bucket.Store.PutAsync("plugin_packages/x", "x"u8.ToArray(), CancellationToken.None);

        var run = await CliRunner.RunAsync(CliRunner.Environment(database, bucket), "backup", "--to", $"s3://no-such-bucket-{Guid.NewGuid():N}/x");

        Assert.That(run.ExitCode, Is.EqualTo((int)ExitCode.Incomplete), run.ToString());
        // The test console wraps at 250 columns; the message is one line.
        Assert.That(Regex.Replace(run.Stderr, @"\s+", " "), Does.Contain("does not exist at this endpoint: check --to"));
    }

    [Test]
    public async Task Repair_apply_prints_each_fix_once_and_points_at_the_local_restore_sql()
    {
        await using var d = await DeploymentUnderTest.CreateAsync();
        await Incident.BreakAsync(d);
        var environment = CliRunner.Environment(d.Database, d.Bucket);
        using var files = new TempDirectory();
        await CliRunner.RunAsync(environment, "repair", "plan", "--grace", "0", "-o", files.Path("plan.json"));

        var apply = await CliRunner.RunAsync(environment, "repair", "apply", files.Path("plan.json"), "--backup-dir", files.Path("backup"));

        Assert.That(apply.ExitCode, Is.EqualTo((int)ExitCode.Success), apply.ToString());
        var all = apply.Stdout + apply.Stderr;
        Assert.That(Regex.Matches(all, @"(?m)^F1\b"), Has.Count.EqualTo(1), apply.ToString());
        Assert.That(all, Does.Contain(Path.Combine(TempDirectory.SingleBackup(files.Path("backup")), "restore.sql")));
    }

    [Test]
    public async Task Repair_plan_counts_the_candidates_left_out_as_in_flight()
    {
        await using var d = await DeploymentUnderTest.CreateAsync();
        await Incident.BreakAsync(d);

        var plan = await CliRunner.RunAsync(CliRunner.Environment(d.Database, d.Bucket), "repair", "plan");

        Assert.That(plan.Stdout, Does.Match(@"[1-9][0-9]* candidate\(s\) younger than the grace period \(5m\)"), plan.ToString());
    }
}
