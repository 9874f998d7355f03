using System.Security.Cryptography;
using DbIntegrity.Cli;
using DbIntegrity.IntegrationTests.Checking;
using DbIntegrity.IntegrationTests.Infrastructure;
using static DbIntegrity.Simulator.Seeding.HealthyDeployment;

namespace DbIntegrity.IntegrationTests.Repairing;

/// <summary>
/// A lost package whose only copy is one a copy tool mangled (':' replaced, dify#22741) is restored from that copy,
/// under whichever daemon prefix the copy lies (issue 12 item 5), instead of deleting the declaration.
/// </summary>
[Category("Integration")]
[Parallelizable(ParallelScope.All)]
public sealed class RepairMangledCopyTests
{
    [TestCase("plugin_packages", "_")]
    [TestCase("plugin_packages", "%3A")]
    [TestCase("plugin", "-")]
    public async Task A_lost_package_is_restored_from_a_mangled_copy_under_any_daemon_prefix(string prefix, string replacement)
    {
        // Given the uploaded-only openai 0.2.8 (no plugins row: without a copy its declaration would be deleted) whose
        // package survives only as a mangled copy.
        await using var d = await DeploymentUnderTest.CreateAsync();
        var upload = d.Deployment.Upload(Plugins.OpenAi, "0.2.8");
        var mangled = $"{prefix}/{upload.Identifier.Value.Replace(":", replacement, StringComparison.Ordinal)}";
        await d.Bucket.Store.CopyAsync(d.Bucket.Name, upload.PackageKey, mangled, CancellationToken.None);
        await d.Bucket.Store.DeleteAsync(upload.PackageKey, CancellationToken.None);
        using var files = new TempDirectory();
        var environment = CliRunner.Environment(d.Database, d.Bucket);

        // When a plan is made and applied.
        var plan = await CliRunner.RunAsync(environment, "repair", "plan", "--grace", "0", "-o", files.Path("plan.json"));
        var apply = await CliRunner.RunAsync(environment, "repair", "apply", files.Path("plan.json"), "--backup-dir", files.Path("backup"));

        // Then the package is back, byte for byte, from the mangled copy, and the declaration is kept.
        Assert.That(plan.ExitCode, Is.EqualTo((int)ExitCode.Findings), plan.ToString());
        Assert.That(plan.Stdout, Does.Contain("restore-package").And.Contain(mangled).And.Not.Contain("delete-declaration"));
        Assert.That(apply.ExitCode, Is.EqualTo((int)ExitCode.Success), apply.ToString());
        await using (var stream = await d.Bucket.Store.OpenReadAsync(upload.PackageKey, CancellationToken.None))
        {
            Assert.That(stream, Is.Not.Null);
            Assert.That(await SHA256.HashDataAsync(stream!), Is.EqualTo(SHA256.HashData(upload.Package.Bytes)));
        }

        Assert.That(await d.Database.ScalarAsync<long>($"SELECT count(*) FROM plugin_declarations WHERE plugin_unique_identifier = '{upload.Identifier.Value}'"), Is.EqualTo(1));
    }
}
