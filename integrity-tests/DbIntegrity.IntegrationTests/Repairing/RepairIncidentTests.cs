using System.Security.Cryptography;
using DbIntegrity.Cli;
using DbIntegrity.IntegrationTests.Checking;
using DbIntegrity.IntegrationTests.Infrastructure;
using static DbIntegrity.Simulator.Seeding.HealthyDeployment;

namespace DbIntegrity.IntegrationTests.Repairing;

/// <summary>The incident, end to end through the CLI: plan, apply, check, and the way back.</summary>
[Category("Integration")]
[Parallelizable(ParallelScope.All)]
[TestFixtureSource(typeof(TestStores), nameof(TestStores.All))]
public sealed class RepairIncidentTests(TestStoreKind store)
{
    [Test]
    public async Task Plan_and_apply_clear_the_incident_keep_every_healthy_row_and_object_and_the_backup_restores_the_removed_rows_exactly()
    {
        await using var d = await DeploymentUnderTest.CreateAsync(store: store);
        await Incident.BreakAsync(d);
        var broken = await DeploymentSnapshot.TakeAsync(d.Database, d.Bucket);
        using var files = new TempDirectory();
        var environment = CliRunner.Environment(d.Database, d.Bucket);

        var plan = await CliRunner.RunAsync(environment, "repair", "plan", "--grace", "0", "-o", files.Path("plan.json"));
        var apply = await CliRunner.RunAsync(environment, "repair", "apply", files.Path("plan.json"), "--backup-dir", files.Path("backup"));
        var check = await CliRunner.RunAsync(environment, "check", "--grace", "0");
        var repaired = await DeploymentSnapshot.TakeAsync(d.Database, d.Bucket);

        Assert.That(plan.ExitCode, Is.EqualTo((int)ExitCode.Findings), plan.ToString());
        // One declaration deleted, two packages restored, and every junk key under plugin/ deleted (6 fixes on S3).
        var junk = Incident.JunkKeys(d);
        Assert.That(plan.Stdout, Does.Contain("delete-declaration").And.Contain("restore-package").And.Contain("delete-installed-key").And.Contain($"{3 + junk.Count} fix(es), 0 manual item(s)"));
        Assert.That(apply.ExitCode, Is.EqualTo((int)ExitCode.Success), apply.ToString());
        Assert.That(apply.Stdout, Does.Contain("Backup: " + d.Bucket.Location("dbintegrity-backups/repair-")).And.Contain("Repair applied"));
        Assert.That(check.ExitCode, Is.EqualTo((int)ExitCode.Success), check.ToString());

        // Exactly the unused declaration of the version nobody installed is gone; no other row changed or appeared.
        var uploadedOnly = d.Deployment.Upload(Plugins.OpenAi, "0.2.8");
        Assert.That(broken.RowsChangedIn(repaired), Is.EqualTo(new[] { $"plugin_declarations/{uploadedOnly.DeclarationId}" }));
        Assert.That(repaired.RowsChangedIn(broken), Is.Empty);
        // Exactly the junk keys are gone; exactly the two installed versions' packages came back, byte for byte.
        Assert.That(broken.ObjectsChangedIn(repaired), Is.EquivalentTo(junk));
        var restored = new[] { "0.2.6", "0.2.7" }.Select(v => d.Deployment.Upload(Plugins.OpenAi, v)).ToList();
        Assert.That(repaired.ObjectsChangedIn(broken, underPrefix: "plugin"), Is.EquivalentTo(restored.Select(u => u.PackageKey)));
        foreach (var upload in restored)
        {
            Assert.That(await Sha256Async(d, upload.PackageKey), Is.EqualTo(SHA256.HashData(upload.Package.Bytes)));
        }

        // The way back: the backup's SQL script puts the removed row back exactly, column for column.
        await d.Database.ExecuteAsync(await File.ReadAllTextAsync(Path.Combine(TempDirectory.SingleBackup(files.Path("backup")), "restore.sql")));
        var rolledBack = await DeploymentSnapshot.TakeAsync(d.Database, d.Bucket);
        Assert.That(rolledBack.RowsChangedIn(broken), Is.Empty);
        Assert.That(broken.RowsChangedIn(rolledBack), Is.Empty);
    }

    [Test]
    public async Task A_second_apply_changes_nothing()
    {
        await using var d = await DeploymentUnderTest.CreateAsync(store: store);
        await Incident.BreakAsync(d);
        using var files = new TempDirectory();
        var environment = CliRunner.Environment(d.Database, d.Bucket);
        await CliRunner.RunAsync(environment, "repair", "plan", "--grace", "0", "-o", files.Path("plan.json"));
        var first = await CliRunner.RunAsync(environment, "repair", "apply", files.Path("plan.json"));
        var afterFirst = await DeploymentSnapshot.TakeAsync(d.Database, d.Bucket);

        var second = await CliRunner.RunAsync(environment, "repair", "apply", files.Path("plan.json"));
        var afterSecond = await DeploymentSnapshot.TakeAsync(d.Database, d.Bucket);

        Assert.That(first.ExitCode, Is.EqualTo((int)ExitCode.Success), first.ToString());
        Assert.That(second.ExitCode, Is.EqualTo((int)ExitCode.Success), second.ToString());
        Assert.That(second.Stdout, Does.Contain("Nothing to do").And.Contain("already done").And.Not.Contain("Backup:"));
        Assert.That(afterSecond.RowsChangedIn(afterFirst).Concat(afterFirst.RowsChangedIn(afterSecond)), Is.Empty);
        Assert.That(afterSecond.ObjectsChangedIn(afterFirst).Concat(afterFirst.ObjectsChangedIn(afterSecond)), Is.Empty);
    }

    [TestCase("object")]
    [TestCase("row")]
    public async Task A_plan_applied_after_the_data_changed_is_refused_and_changes_nothing(string change)
    {
        await using var d = await DeploymentUnderTest.CreateAsync(store: store);
        await Incident.BreakAsync(d);
        using var files = new TempDirectory();
        var environment = CliRunner.Environment(d.Database, d.Bucket);
        await CliRunner.RunAsync(environment, "repair", "plan", "--grace", "0", "-o", files.Path("plan.json"));
        var uploadedOnly = d.Deployment.Upload(Plugins.OpenAi, "0.2.8");
        if (change == "object")
        {
            // Someone uploads the lost version again: its declaration is no longer broken and must stay.
            await d.Bucket.Store.PutAsync(uploadedOnly.PackageKey, uploadedOnly.Package.Bytes, CancellationToken.None);
        }
        else
        {
            await d.Database.ExecuteAsync($"UPDATE plugin_declarations SET updated_at = now() WHERE id = '{uploadedOnly.DeclarationId}'");
        }

        var before = await DeploymentSnapshot.TakeAsync(d.Database, d.Bucket);
        var apply = await CliRunner.RunAsync(environment, "repair", "apply", files.Path("plan.json"));
        var after = await DeploymentSnapshot.TakeAsync(d.Database, d.Bucket);

        Assert.That(apply.ExitCode, Is.EqualTo((int)ExitCode.Findings), apply.ToString());
        Assert.That(apply.Stdout, Does.Contain("stale").And.Contain("Refused").And.Contain(change == "object" ? $"{uploadedOnly.PackageKey} exists now" : "updated_at"));
        Assert.That(after.RowsChangedIn(before).Concat(before.RowsChangedIn(after)), Is.Empty);
        Assert.That(after.ObjectsChangedIn(before).Concat(before.ObjectsChangedIn(after)), Is.Empty, "not even a backup is written");
    }

    [Test]
    public async Task A_plan_made_for_another_database_is_a_usage_error()
    {
        await using var d = await DeploymentUnderTest.CreateAsync(store: store);
        await Incident.BreakAsync(d);
        await using var other = await TestDatabase.CreateMigratedAsync();
        using var files = new TempDirectory();
        await CliRunner.RunAsync(CliRunner.Environment(d.Database, d.Bucket), "repair", "plan", "--grace", "0", "-o", files.Path("plan.json"));

        var apply = await CliRunner.RunAsync(CliRunner.Environment(other, d.Bucket), "repair", "apply", files.Path("plan.json"));

        Assert.That(apply.ExitCode, Is.EqualTo((int)ExitCode.UsageError), apply.ToString());
        Assert.That(apply.Stderr, Does.Contain($"database is {other.Name}, the plan was made for {d.Database.Name}"));
    }

    private static async Task<byte[]> Sha256Async(DeploymentUnderTest d, string key)
    {
        await using var stream = await d.Bucket.Store.OpenReadAsync(key, CancellationToken.None);
        return await SHA256.HashDataAsync(stream!);
    }
}
