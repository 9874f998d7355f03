using DbIntegrity.Cli;
using DbIntegrity.IntegrationTests.Infrastructure;

namespace DbIntegrity.IntegrationTests.Serving;

/// <summary><c>check --format prometheus</c> end to end: the textfile a collector reads, and what an incomplete run leaves in it.</summary>
[Category("Integration")]
[Parallelizable(ParallelScope.Self)]
public sealed class PrometheusFormatTests
{
    [Test]
    public async Task Check_writes_openmetrics_and_an_incomplete_run_keeps_the_last_complete_time()
    {
        await using var database = await TestDatabase.CreateMigratedAsync();
        await using var bucket = await TestBucket.CreateAsync();
        await bucket.Store.PutAsync("plugin/", ReadOnlyMemory<byte>.Empty, CancellationToken.None);
        using var directory = new TempDirectory();
        var file = directory.Path("dbintegrity.prom");

        var first = await CliRunner.RunAsync(CliRunner.Environment(database, bucket), "check", "--format", "prometheus", "--output", file, "--grace", "0");
        var complete = await File.ReadAllTextAsync(file);
        // The database goes down: its port no longer answers.
        await using var proxy = TcpProxy.Start(database.Settings.Host, database.Settings.Port);
        await proxy.StopAsync();
        var down = CliRunner.Environment(database, bucket, new Dictionary<string, string?> { ["DB_HOST"] = "127.0.0.1", ["DB_PORT"] = proxy.Port.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        var second = await CliRunner.RunAsync(down, "check", "--format", "prometheus", "--output", file, "--grace", "0");
        var incomplete = await File.ReadAllTextAsync(file);
        string LastComplete(string text) => text.Split('\n').Single(l => l.StartsWith("dbintegrity_check_last_complete_timestamp_seconds ", StringComparison.Ordinal));

        Assert.Multiple(() =>
        {
            Assert.That(first.ExitCode, Is.EqualTo((int)ExitCode.Findings), first.ToString());
            Assert.That(complete, Does.Contain("dbintegrity_check_findings{rule=\"installed-key-invalid\",severity=\"error\"} 1\n"));
            Assert.That(complete, Does.Contain("dbintegrity_check_status{status=\"inconsistent\"} 1\n"));
            Assert.That(complete, Does.EndWith("# EOF\n"));
            Assert.That(second.ExitCode, Is.EqualTo((int)ExitCode.Incomplete), second.ToString());
            Assert.That(incomplete, Does.Contain("dbintegrity_check_status{status=\"incomplete\"} 1\n"));
            Assert.That(incomplete, Does.Not.Contain("dbintegrity_check_findings{"));
            Assert.That(LastComplete(incomplete), Is.EqualTo(LastComplete(complete)));
        });
    }
}
