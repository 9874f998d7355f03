using System.Security.Cryptography;
using System.Text.Json;
using DbIntegrity.Cli;
using DbIntegrity.Core.Plugins;
using DbIntegrity.IntegrationTests.Checking;
using DbIntegrity.IntegrationTests.Infrastructure;
using static DbIntegrity.Simulator.Seeding.HealthyDeployment;

namespace DbIntegrity.IntegrationTests.Repairing;

/// <summary><c>dbintegrity backup</c> and <c>dbintegrity restore</c>, and repair plans that restore from a backup.</summary>
[Category("Integration")]
[Parallelizable(ParallelScope.All)]
[TestFixtureSource(typeof(TestStores), nameof(TestStores.All))]
public sealed class BackupRestoreTests(TestStoreKind store)
{
    [Test]
    public async Task Backup_copies_every_referenced_package_and_marker_to_another_bucket_verifies_them_and_writes_a_manifest()
    {
        await using var d = await DeploymentUnderTest.CreateAsync(store: store);
        // A local root has no other bucket: there the backup goes to a folder under the root, given as its path.
        await using var other = store == TestStoreKind.Local ? null : await TestBucket.CreateAsync(store);
        var backups = other ?? d.Bucket;
        var environment = CliRunner.Environment(d.Database, d.Bucket);

        var run = await CliRunner.RunAsync(environment, "backup", "--to", backups.Location("dify"), "--assets", "--format", "json");

        Assert.That(run.ExitCode, Is.EqualTo((int)ExitCode.Success), run.ToString());
        using var json = JsonDocument.Parse(run.Stdout);
        var objects = json.RootElement.GetProperty("manifest").GetProperty("objects").EnumerateArray().ToList();
        var daemonKeys = await d.Bucket.KeysAsync();
        Assert.That(objects.Select(o => o.GetProperty("key").GetString()),
            Is.EquivalentTo(daemonKeys.Where(k => k.StartsWith("plugin/", StringComparison.Ordinal) || k.StartsWith("plugin_packages/", StringComparison.Ordinal) || k.StartsWith("assets/", StringComparison.Ordinal))));
        foreach (var entry in objects)
        {
            var key = entry.GetProperty("key").GetString()!;
            await using var copy = await backups.Store.OpenReadAsync(entry.GetProperty("backupKey").GetString()!, CancellationToken.None);
            Assert.That(Convert.ToHexStringLower(await SHA256.HashDataAsync(copy!)), Is.EqualTo(entry.GetProperty("sha256").GetString()), key);
            if (!key.StartsWith("assets/", StringComparison.Ordinal))
            {
                Assert.That(entry.GetProperty("checksum").GetString(), Is.EqualTo(PluginUniqueIdentifier.Parse(key[(key.IndexOf('/', StringComparison.Ordinal) + 1)..]).Checksum), key);
            }
        }

        Assert.That(await backups.KeysAsync(), Has.Some.Match("^dify/backup-[0-9T]+Z/manifest.json$"));
    }

    [Test]
    public async Task Restore_brings_lost_packages_and_markers_back_verified_and_never_overwrites()
    {
        await using var d = await DeploymentUnderTest.CreateAsync(store: store);
        var environment = CliRunner.Environment(d.Database, d.Bucket);
        var backup = BackupLocation(await CliRunner.RunAsync(environment, "backup", "--format", "json"));
        var openAi = d.Deployment.Installation(Tenant(1), Plugins.OpenAi);
        var google = d.Deployment.Installation(Tenant(0), Plugins.Google);
        await d.Bucket.Store.DeleteAsync(openAi.PackageKey!, CancellationToken.None);
        await d.Bucket.Store.DeleteAsync(openAi.InstalledKey!, CancellationToken.None);
        await d.Bucket.OverwriteAsync(google.PackageKey!, "not a package"u8.ToArray());

        var dryRun = await CliRunner.RunAsync(environment, "restore", backup, "--dry-run");
        var restore = await CliRunner.RunAsync(environment, "restore", backup);
        var check = await CliRunner.RunAsync(environment, "check", "--grace", "0", "--deep", "--format", "json");

        Assert.That(dryRun.Stdout, Does.Contain("2 would be restored"), dryRun.ToString());
        Assert.That(restore.ExitCode, Is.EqualTo((int)ExitCode.Success), restore.ToString());
        Assert.That(restore.Stdout, Does.Contain("2 restored"));
        Assert.That(await BytesAsync(d, openAi.PackageKey!), Is.EqualTo(openAi.Package.Bytes));
        Assert.That(await BytesAsync(d, openAi.InstalledKey!), Is.EqualTo(openAi.Package.Bytes));
        Assert.That(await BytesAsync(d, google.PackageKey!), Is.EqualTo("not a package"u8.ToArray()), "an existing object is never overwritten");
        using var report = JsonDocument.Parse(check.Stdout);
        var problems = report.RootElement.GetProperty("findings").EnumerateArray().Where(f => f.GetProperty("severity").GetString() != "info");
        Assert.That(problems.Select(f => f.GetProperty("rule").GetString()), Is.EqualTo(new[] { "package-unreadable" }), "only the object restore left alone");
    }

    [Test]
    public async Task Restoring_a_repair_backup_leaves_junk_keys_out_unless_all_is_given()
    {
        await using var d = await DeploymentUnderTest.CreateAsync(store: store);
        await Incident.BreakAsync(d);
        var environment = CliRunner.Environment(d.Database, d.Bucket);
        using var files = new TempDirectory();
        await CliRunner.RunAsync(environment, "repair", "plan", "--grace", "0", "-o", files.Path("plan.json"));
        var apply = await CliRunner.RunAsync(environment, "repair", "apply", files.Path("plan.json"), "--format", "json");
        var backup = JsonDocument.Parse(apply.Stdout).RootElement.GetProperty("backup").GetString()!;

        var cautious = await CliRunner.RunAsync(environment, "restore", backup);
        var afterCautious = await CliRunner.RunAsync(environment, "check", "--grace", "0");
        var all = await CliRunner.RunAsync(environment, "restore", backup, "--all");
        var afterAll = await CliRunner.RunAsync(environment, "check", "--grace", "0", "--format", "json");

        Assert.That(cautious.ExitCode, Is.EqualTo((int)ExitCode.Findings), cautious.ToString());
        // The junk keys the repair deleted (3 on S3: two folder markers and the mangled copy) are what --all brings back.
        var junk = Incident.JunkKeys(d).Count;
        Assert.That(cautious.Stdout, Does.Contain($"{junk} skipped").And.Contain("--all restores it"));
        Assert.That(afterCautious.ExitCode, Is.EqualTo((int)ExitCode.Success), afterCautious.ToString());
        Assert.That(all.ExitCode, Is.EqualTo((int)ExitCode.Success), all.ToString());
        using var report = JsonDocument.Parse(afterAll.Stdout);
        Assert.That(report.RootElement.GetProperty("summary").GetProperty("byRule").GetProperty("installed-key-invalid").GetInt32(), Is.EqualTo(junk), "the way back is exact");
    }

    [Test]
    public async Task A_plan_restores_a_lost_package_and_marker_from_a_backup_when_no_copy_is_left_in_the_bucket()
    {
        await using var d = await DeploymentUnderTest.CreateAsync(store: store);
        var environment = CliRunner.Environment(d.Database, d.Bucket);
        var backup = BackupLocation(await CliRunner.RunAsync(environment, "backup", "--format", "json"));
        var google = d.Deployment.Installation(Tenant(0), Plugins.Google);
        await d.Bucket.Store.DeleteAsync(google.PackageKey!, CancellationToken.None);
        await d.Bucket.Store.DeleteAsync(google.InstalledKey!, CancellationToken.None);
        using var files = new TempDirectory();

        var without = await CliRunner.RunAsync(environment, "repair", "plan", "--grace", "0");
        var plan = await CliRunner.RunAsync(environment, "repair", "plan", "--grace", "0", "--from-backup", backup, "-o", files.Path("plan.json"));
        var apply = await CliRunner.RunAsync(environment, "repair", "apply", files.Path("plan.json"));
        var check = await CliRunner.RunAsync(environment, "check", "--grace", "0");

        Assert.That(without.Stdout, Does.Contain("0 fix(es)").And.Contain("Needs a person"), without.ToString());
        Assert.That(plan.Stdout, Does.Contain("restore-package").And.Contain("restore-installed-marker").And.Contain("with the backup copy"), plan.ToString());
        Assert.That(apply.ExitCode, Is.EqualTo((int)ExitCode.Success), apply.ToString());
        Assert.That(check.ExitCode, Is.EqualTo((int)ExitCode.Success), check.ToString());
        Assert.That(await BytesAsync(d, google.InstalledKey!), Is.EqualTo(google.Package.Bytes));
    }

    [Test]
    public async Task With_deep_a_package_that_is_not_its_identifiers_is_replaced_from_the_verified_marker_and_kept_in_the_backup()
    {
        await using var d = await DeploymentUnderTest.CreateAsync(store: store);
        var google = d.Deployment.Installation(Tenant(0), Plugins.Google);
        await d.Bucket.OverwriteAsync(google.PackageKey!, "not a package"u8.ToArray());
        var environment = CliRunner.Environment(d.Database, d.Bucket);
        using var files = new TempDirectory();

        var plan = await CliRunner.RunAsync(environment, "repair", "plan", "--grace", "0", "--deep", "-o", files.Path("plan.json"));
        var apply = await CliRunner.RunAsync(environment, "repair", "apply", files.Path("plan.json"), "--backup-dir", files.Path("backup"));
        var check = await CliRunner.RunAsync(environment, "check", "--grace", "0", "--deep");

        Assert.That(plan.Stdout, Does.Contain("Replace the unusable " + google.PackageKey), plan.ToString());
        Assert.That(apply.ExitCode, Is.EqualTo((int)ExitCode.Success), apply.ToString());
        Assert.That(check.ExitCode, Is.EqualTo((int)ExitCode.Success), check.ToString());
        Assert.That(await BytesAsync(d, google.PackageKey!), Is.EqualTo(google.Package.Bytes));
        var manifest = Core.Backup.BackupJson.Read(await File.ReadAllTextAsync(Path.Combine(TempDirectory.SingleBackup(files.Path("backup")), "manifest.json")), "manifest.json");
        Assert.That(await BytesAsync(d, manifest.Objects.Single(o => o.Key == google.PackageKey).BackupKey), Is.EqualTo("not a package"u8.ToArray()));
    }

    [Test]
    public async Task Restore_all_writes_only_under_the_daemon_prefixes_whatever_the_manifest_lists()
    {
        await using var d = await DeploymentUnderTest.CreateAsync(store: store);
        var environment = CliRunner.Environment(d.Database, d.Bucket);
        var backup = BackupLocation(await CliRunner.RunAsync(environment, "backup", "--format", "json"));
        var location = Core.Backup.BackupLocation.Parse(backup, d.Bucket.Store);
        var backupStore = location.Bucket == d.Bucket.Name ? d.Bucket.Store : throw new InvalidOperationException(backup);
        await using (var manifestText = await backupStore.OpenReadAsync(location.Key(Core.Backup.BackupManifest.FileName), CancellationToken.None)
            ?? throw new InvalidOperationException("the backup has no manifest"))
        using (var reader = new StreamReader(manifestText))
        {
            var manifest = Core.Backup.BackupJson.Read(await reader.ReadToEndAsync(), "manifest.json");
            var copy = manifest.Objects[0];
            var edited = manifest with { Objects = [.. manifest.Objects, copy with { Key = "persistence/tenant/evil" }, copy with { Key = "dbintegrity-backups/evil" }] };
            // Local folders and Azure never overwrite: the edit replaces the version just read.
            await d.Bucket.OverwriteAsync(location.Key(Core.Backup.BackupManifest.FileName), System.Text.Encoding.UTF8.GetBytes(Core.Backup.BackupJson.Write(edited)));
        }

        var restore = await CliRunner.RunAsync(environment, "restore", backup, "--all");

        Assert.That(restore.Stdout, Does.Contain("not under the daemon's prefixes"), restore.ToString());
        Assert.That(await d.Bucket.Store.HeadAsync("persistence/tenant/evil", CancellationToken.None), Is.Null);
        Assert.That(await d.Bucket.Store.HeadAsync("dbintegrity-backups/evil", CancellationToken.None), Is.Null);
    }

    private static string BackupLocation(CliResult run)
    {
        Assert.That(run.ExitCode, Is.EqualTo((int)ExitCode.Success), run.ToString());
        return JsonDocument.Parse(run.Stdout).RootElement.GetProperty("location").GetString()!;
    }

    private static async Task<byte[]> BytesAsync(DeploymentUnderTest d, string key)
    {
        await using var stream = await d.Bucket.Store.OpenReadAsync(key, CancellationToken.None);
        using var copy = new MemoryStream();
        await stream!.CopyToAsync(copy);
        return copy.ToArray();
    }
}
