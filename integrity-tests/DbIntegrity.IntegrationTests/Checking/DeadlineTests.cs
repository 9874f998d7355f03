using System.Text.Json;
using DbIntegrity.Cli;
using DbIntegrity.Core.Configuration;
using DbIntegrity.Core.Scanning;
using DbIntegrity.IntegrationTests.Infrastructure;

namespace DbIntegrity.IntegrationTests.Checking;

/// <summary>
/// --timeout is a deadline (issue 12 item 2): whatever the network does, the built CLI ends within the timeout plus
/// the margin the README states, exit 3, status incomplete.
/// </summary>
// S3 only, by nature: the slow store is S3Proxy, an HTTP proxy in front of the S3 endpoint (the slow database, PgProxy, is store-independent).
[Category("Integration")]
[Parallelizable(ParallelScope.Self)]
public sealed class DeadlineTests
{
    // Long enough for the check to reach the partition on a loaded CI machine before the timeout fires.
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    // README "Fail closed": the scan reports within --timeout plus 3 seconds of its start (Deadline.Margin for the I/O
    // to stop, the rest for building the report). The report's durationMs is that time, measured by the scan itself:
    // the process's start-up on a loaded CI machine is not part of the promise.
    private static readonly TimeSpan StatedMargin = TimeSpan.FromSeconds(3);

    private TestDatabase _database = null!;
    private TestBucket _bucket = null!;

    [SetUp]
    public async Task SetUpAsync()
    {
        _database = await TestDatabase.CreateMigratedAsync();
        _bucket = await TestBucket.CreateAsync();
    }

    [TearDown]
    public async Task TearDownAsync()
    {
        await _bucket.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Test]
    public void The_abandon_margin_fits_in_the_stated_margin() =>
        Assert.That(Deadline.Margin, Is.LessThanOrEqualTo(StatedMargin - TimeSpan.FromSeconds(1)));

    // "SET LOCAL jit" is the scan's first statement: the partition starts right after it. "FETCH" is the first page read.
    [TestCase("SELECT now()")]
    [TestCase("FETCH FORWARD")]
    public async Task A_database_that_turns_into_a_black_hole_ends_the_check_within_the_timeout_plus_the_margin(string partitionAt)
    {
        var server = DatabaseSettings.FromDaemonVariables(TestServices.Environment);
        await using var proxy = PgProxy.Start(server.Host, server.Port);
        proxy.BlackholeAt = partitionAt;

        var (exitCode, stdout, stderr) = await RunCheckAsync(new Dictionary<string, string> { ["DB_HOST"] = "127.0.0.1", ["DB_PORT"] = proxy.Port.ToString(System.Globalization.CultureInfo.InvariantCulture) });

        Assert.That(proxy.Blackholed, Is.True, "the check reached the statement where the partition starts");
        AssertIncompleteWithinDeadline(exitCode, stdout, stderr);
    }

    [Test]
    public async Task A_store_that_stops_answering_ends_the_check_within_the_timeout_plus_the_margin()
    {
        await using var proxy = S3Proxy.Start(TestServices.Environment.Get("S3_ENDPOINT")!);
        proxy.Stall = true;

        var (exitCode, stdout, stderr) = await RunCheckAsync(new Dictionary<string, string> { ["S3_ENDPOINT"] = proxy.Endpoint.ToString() });

        Assert.That(proxy.Requests, Is.Not.Empty);
        AssertIncompleteWithinDeadline(exitCode, stdout, stderr);
    }

    private static void AssertIncompleteWithinDeadline(int exitCode, string stdout, string stderr)
    {
        Assert.That(exitCode, Is.EqualTo((int)ExitCode.Incomplete), stderr);
        using var json = JsonDocument.Parse(stdout);
        Assert.That(json.RootElement.GetProperty("status").GetString(), Is.EqualTo("incomplete"));
        Assert.That(json.RootElement.GetProperty("incompleteReason").GetString(), Does.Contain("--timeout"));
        Assert.That(TimeSpan.FromMilliseconds(json.RootElement.GetProperty("durationMs").GetDouble()), Is.LessThanOrEqualTo(Timeout + StatedMargin), stderr);
    }

    private async Task<(int ExitCode, string Stdout, string Stderr)> RunCheckAsync(Dictionary<string, string> extra)
    {
        var environment = CliRunner.Environment(_database, _bucket);
        using var process = CliProcess.Start(environment, extra, "(no marker)", "check", "--format", "json", "--grace", "0", "--timeout", $"{Timeout.TotalSeconds:0}s");

        // The process must end too (nothing it disposes may wait for the abandoned I/O); start-up can be slow here.
        var exitCode = await process.WaitForExitAsync(TimeSpan.FromMinutes(2));
        return (exitCode, process.Stdout, process.Stderr);
    }
}
