using System.Text.Json;
using DbIntegrity.Cli;
using DbIntegrity.IntegrationTests.Infrastructure;
using static DbIntegrity.Simulator.Seeding.HealthyDeployment;

namespace DbIntegrity.IntegrationTests.Checking;

/// <summary>An icon that cannot be an asset id is a finding decided without a request (issue 12 item 5).</summary>
[Category("Integration")]
[Parallelizable(ParallelScope.All)]
public sealed class UnusableIconTests
{
    // As SQL text inside the JSON: \u0000 is the JSON escape of a NUL (PostgreSQL text cannot hold a NUL itself).
    [TestCase(@"a\u0000b.svg")]
    [TestCase("abc/def.png")]
    public async Task An_icon_that_cannot_be_an_asset_id_is_asset_missing_without_a_HEAD_even_when_HEAD_fails(string icon)
    {
        await using var d = await DeploymentUnderTest.CreateAsync();
        var google = d.Deployment.Installation(Tenant(1), Plugins.Google);
        await d.Database.ExecuteAsync(
            $"UPDATE plugin_declarations SET declaration = replace(declaration, '\"icon\":\"' || (declaration::json->>'icon') || '\"', '\"icon\":\"{icon}\"') "
            + $"WHERE plugin_unique_identifier = '{google.Identifier.Value}'");
        await using var proxy = S3Proxy.Start(TestServices.Environment.Get("S3_ENDPOINT")!);
        proxy.FailHeads = true;

        var result = await CliRunner.RunAsync(
            CliRunner.Environment(d.Database, d.Bucket, new Dictionary<string, string?> { ["S3_ENDPOINT"] = proxy.Endpoint.ToString() }),
            "check", "--format", "json", "--grace", "0");

        Assert.That(result.ExitCode, Is.EqualTo((int)ExitCode.Success), result.ToString());
        using var json = JsonDocument.Parse(result.Stdout);
        var finding = json.RootElement.GetProperty("findings").EnumerateArray().Single(f => f.GetProperty("rule").GetString() == "asset-missing");
        Assert.That(finding.GetProperty("message").GetString(), Does.Contain("cannot be an asset id").And.Contain("declaration"));
        Assert.That(proxy.Requests.Where(r => r.StartsWith("HEAD", StringComparison.Ordinal)), Is.Empty);
    }
}
