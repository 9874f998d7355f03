using System.Text.Json;
using DbIntegrity.Cli;
using DbIntegrity.IntegrationTests.Checking;
using DbIntegrity.IntegrationTests.Infrastructure;
using static DbIntegrity.Simulator.Seeding.HealthyDeployment;

namespace DbIntegrity.IntegrationTests.Repairing;

/// <summary>
/// The daemon writes a key after restore or apply looked at it and before their write arrives: the writes are
/// conditional at the store (If-None-Match: *, If-Match), so the daemon's object stays. The proxy writes the daemon's
/// object straight to the store at the moment the tool's PUT reaches it, so no look-before-write can see it.
/// </summary>
// S3 only, by nature: the concurrent writer is timed through S3Proxy, an HTTP proxy in front of the S3 endpoint.
[Category("Integration")]
[Parallelizable(ParallelScope.All)]
public sealed class ConcurrentWriteTests
{
    private static readonly byte[] DaemonBytes = "uploaded by the daemon while the tool ran"u8.ToArray();

    [Test]
    public async Task Restore_never_overwrites_an_object_the_daemon_writes_after_restore_looked()
    {
        await using var d = await DeploymentUnderTest.CreateAsync();
        var environment = CliRunner.Environment(d.Database, d.Bucket);
        var backup = await CliRunner.RunAsync(environment, "backup", "--format", "json");
        Assert.That(backup.ExitCode, Is.EqualTo((int)ExitCode.Success), backup.ToString());
        var openAi = d.Deployment.Installation(Tenant(1), Plugins.OpenAi);
        await d.Bucket.Store.DeleteAsync(openAi.PackageKey!, CancellationToken.None);
        await using var proxy = S3Proxy.Start(environment.Get("S3_ENDPOINT")!);
        var raced = 0;
        proxy.BeforeObjectPut = async key =>
        {
            if (key == openAi.PackageKey && Interlocked.Exchange(ref raced, 1) == 0)
            {
                await d.Bucket.Store.PutAsync(key, DaemonBytes, CancellationToken.None);
            }
        };

        var restore = await CliRunner.RunAsync(environment, "restore", JsonDocument.Parse(backup.Stdout).RootElement.GetProperty("location").GetString()!,
            "--s3-endpoint", proxy.Endpoint.ToString(), "--format", "json");

        Assert.That(raced, Is.EqualTo(1), "restore wrote the key");
        Assert.That(restore.ExitCode, Is.EqualTo((int)ExitCode.Success), restore.ToString());
        Assert.That(await BytesAsync(d, openAi.PackageKey!), Is.EqualTo(DaemonBytes));
        Assert.That(restore.Stdout, Does.Contain("written by someone else while restore ran"));
    }

    [Test]
    public async Task Repair_apply_never_overwrites_a_package_the_daemon_writes_after_the_plan()
    {
        await using var d = await DeploymentUnderTest.CreateAsync();
        await Incident.BreakAsync(d);
        var environment = CliRunner.Environment(d.Database, d.Bucket);
        using var files = new TempDirectory();
        var plan = await CliRunner.RunAsync(environment, "repair", "plan", "--grace", "0", "-o", files.Path("plan.json"));
        Assert.That(plan.ExitCode, Is.EqualTo((int)ExitCode.Findings), plan.ToString());
        var packageKey = d.Deployment.Upload(Plugins.OpenAi, "0.2.7").PackageKey;
        await using var proxy = S3Proxy.Start(environment.Get("S3_ENDPOINT")!);
        var raced = 0;
        proxy.BeforeObjectPut = async key =>
        {
            if (key == packageKey && Interlocked.Exchange(ref raced, 1) == 0)
            {
                await d.Bucket.Store.PutAsync(key, DaemonBytes, CancellationToken.None);
            }
        };

        var apply = await CliRunner.RunAsync(environment, "repair", "apply", files.Path("plan.json"), "--s3-endpoint", proxy.Endpoint.ToString());

        Assert.That(raced, Is.EqualTo(1), "apply wrote the key: " + apply);
        Assert.That(await BytesAsync(d, packageKey), Is.EqualTo(DaemonBytes));
        Assert.That(apply.ToString(), Does.Contain(packageKey + " was written by someone else during the apply"));
        Assert.That(apply.ExitCode, Is.Not.EqualTo((int)ExitCode.Success), apply.ToString());
    }

    private static async Task<byte[]> BytesAsync(DeploymentUnderTest d, string key)
    {
        await using var stream = await d.Bucket.Store.OpenReadAsync(key, CancellationToken.None);
        using var copy = new MemoryStream();
        await stream!.CopyToAsync(copy);
        return copy.ToArray();
    }
}
