using System.Text.Json;
using DbIntegrity.Cli;
using DbIntegrity.IntegrationTests.Infrastructure;

namespace DbIntegrity.IntegrationTests.Checking;

/// <summary>
/// --deep downloads packages on several workers; when a download fails the scan is incomplete (exit 3) with the JSON
/// report on stdout, never an unexpected error without a report and never a verdict on packages it did not read.
/// </summary>
// S3 only, by nature: the failing reads are injected by S3Proxy, an HTTP proxy in front of the S3 endpoint.
[Category("Integration")]
[Parallelizable(ParallelScope.Self)]
public sealed class DeepFailsClosedTests
{
    [Test]
    public async Task Given_package_downloads_denied_when_checking_deep_then_exit_3_and_status_incomplete()
    {
        await using var d = await DeploymentUnderTest.CreateAsync();
        await using var proxy = S3Proxy.Start(TestServices.Environment.Get("S3_ENDPOINT")!);
        proxy.DenyObjectGets = "/plugin_packages/";

        var result = await CliRunner.RunAsync(Environment(d, proxy), "check", "--deep", "--deep-parallelism", "4", "--format", "json", "--grace", "0");

        Assert.That(result.ExitCode, Is.EqualTo((int)ExitCode.Incomplete), result.ToString());
        using var json = JsonDocument.Parse(result.Stdout);
        Assert.That(json.RootElement.GetProperty("status").GetString(), Is.EqualTo("incomplete"));
        Assert.That(json.RootElement.GetProperty("incompleteReason").GetString(), Does.Contain("S3 request failed").And.Contain("access denied"));
    }

    [Test]
    public async Task Given_a_connection_reset_mid_download_when_checking_deep_then_the_storage_is_named_as_unavailable()
    {
        await using var d = await DeploymentUnderTest.CreateAsync();
        await using var proxy = S3Proxy.Start(TestServices.Environment.Get("S3_ENDPOINT")!);
        proxy.TruncateObjectGets = "/plugin_packages/";

        var result = await CliRunner.RunAsync(Environment(d, proxy), "check", "--deep", "--format", "json", "--grace", "0");

        Assert.That(result.ExitCode, Is.EqualTo((int)ExitCode.Incomplete), result.ToString());
        using var json = JsonDocument.Parse(result.Stdout);
        Assert.That(json.RootElement.GetProperty("status").GetString(), Is.EqualTo("incomplete"));
        Assert.That(json.RootElement.GetProperty("incompleteReason").GetString(), Does.Contain("S3 request failed").And.Contain("plugin_packages/"));
    }

    private static Core.Configuration.SettingsSource Environment(DeploymentUnderTest d, S3Proxy proxy) =>
        CliRunner.Environment(d.Database, d.Bucket, new Dictionary<string, string?> { ["S3_ENDPOINT"] = proxy.Endpoint.ToString() });
}
