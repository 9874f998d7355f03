using DbIntegrity.Cli;
using DbIntegrity.IntegrationTests.Checking;
using DbIntegrity.IntegrationTests.Infrastructure;
using Npgsql;

namespace DbIntegrity.IntegrationTests.Repairing;

/// <summary>
/// Deleting a stray installed marker must not race an install of the same identifier (docs/daemon/storage.md#lifecycle: the daemon
/// writes an install_tasks row, copies plugin/I, then inserts the plugins row). While the daemon writes plugins or
/// install_tasks, or a running install task names the identifier, the marker is left alone.
/// </summary>
[Category("Integration")]
[Parallelizable(ParallelScope.All)]
public sealed class RepairDeleteLockTests
{
    [Test]
    public async Task A_stray_marker_is_left_alone_while_a_running_install_task_names_its_identifier_and_deleted_once_the_task_is_over()
    {
        await using var d = await DeploymentUnderTest.CreateAsync();
        var (identifier, marker) = await StrayMarkerAsync(d);
        var environment = CliRunner.Environment(d.Database, d.Bucket);
        using var files = new TempDirectory();
        var plan = await CliRunner.RunAsync(environment, "repair", "plan", "--grace", "0", "--include-warnings", "-o", files.Path("plan.json"));
        var task = await d.Database.ScalarAsync<string>($$"""
            INSERT INTO install_tasks (id, status, tenant_id, total_plugins, completed_plugins, plugins, created_at, updated_at)
            VALUES (gen_random_uuid(), 'running', gen_random_uuid(), 1, 0, '[{"plugin_unique_identifier":"{{identifier}}","status":"running"}]', now(), now()) RETURNING id::text
            """);

        var blocked = await CliRunner.RunAsync(environment, "repair", "apply", files.Path("plan.json"));
        var keptWhileInstalling = await d.Bucket.Store.HeadAsync(marker, CancellationToken.None);
        await d.Database.ExecuteAsync($"UPDATE install_tasks SET status = 'failed' WHERE id::text = '{task}'");
        var apply = await CliRunner.RunAsync(environment, "repair", "apply", files.Path("plan.json"));

        Assert.That(plan.Stdout, Does.Contain("delete-installed-key"), plan.ToString());
        Assert.That(blocked.ExitCode, Is.EqualTo((int)ExitCode.Findings), blocked.ToString());
        Assert.That(blocked.Stdout, Does.Contain($"install task {task}"), blocked.ToString());
        Assert.That(keptWhileInstalling, Is.Not.Null, "the marker of an identifier being installed must stay");
        Assert.That(apply.ExitCode, Is.EqualTo((int)ExitCode.Success), apply.ToString());
        Assert.That(await d.Bucket.Store.HeadAsync(marker, CancellationToken.None), Is.Null);
    }

    [Test]
    public async Task A_stray_marker_is_left_alone_while_the_daemon_holds_a_write_lock_on_plugins()
    {
        await using var d = await DeploymentUnderTest.CreateAsync();
        var (_, marker) = await StrayMarkerAsync(d);
        var environment = CliRunner.Environment(d.Database, d.Bucket);
        using var files = new TempDirectory();
        await CliRunner.RunAsync(environment, "repair", "plan", "--grace", "0", "--include-warnings", "-o", files.Path("plan.json"));

        // What an install's INSERT INTO plugins holds until its transaction ends.
        await using (var daemon = await d.Database.DataSource.OpenConnectionAsync())
        await using (var transaction = await daemon.BeginTransactionAsync())
        {
            await using (var lockPlugins = new NpgsqlCommand("LOCK TABLE plugins IN ROW EXCLUSIVE MODE", daemon, transaction))
            {
                await lockPlugins.ExecuteNonQueryAsync();
            }

            var blocked = await CliRunner.RunAsync(environment, "repair", "apply", files.Path("plan.json"));

            Assert.That(blocked.ExitCode, Is.EqualTo((int)ExitCode.Findings), blocked.ToString());
            Assert.That(blocked.Stdout, Does.Contain("could not be held off"), blocked.ToString());
            Assert.That(await d.Bucket.Store.HeadAsync(marker, CancellationToken.None), Is.Not.Null);
        }

        var apply = await CliRunner.RunAsync(environment, "repair", "apply", files.Path("plan.json"));
        Assert.That(apply.ExitCode, Is.EqualTo((int)ExitCode.Success), apply.ToString());
        Assert.That(await d.Bucket.Store.HeadAsync(marker, CancellationToken.None), Is.Null);
    }

    // plugin/I for a package only uploaded, never installed: installed-key-without-plugin-row (docs/daemon/storage.md#the-30-second-loop b).
    private static async Task<(string Identifier, string Marker)> StrayMarkerAsync(DeploymentUnderTest d)
    {
        var upload = d.Deployment.UploadedOnly.First();
        var marker = "plugin/" + upload.Identifier.Value;
        await d.Bucket.Store.CopyAsync(d.Bucket.Name, upload.PackageKey, marker, CancellationToken.None);
        await d.Database.ExecuteAsync($"DELETE FROM install_tasks WHERE strpos(plugins, '{upload.Identifier.Value}') > 0");
        return (upload.Identifier.Value, marker);
    }
}
