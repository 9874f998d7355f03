using System.Diagnostics;
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
[Category("Integration")]
[Parallelizable(ParallelScope.Self)]
public sealed class DeadlineTests
{
    // Long enough for the check to reach the partition on a loaded CI machine before the timeout fires.
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    // README "Fail closed": the process ends within --timeout plus 5 seconds (Deadline.Margin for the I/O to stop, the
    // rest for writing the report and exiting).
    private static readonly TimeSpan StatedMargin = TimeSpan.FromSeconds(5);

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
        Assert.That(Deadline.Margin, Is.LessThan(StatedMargin - TimeSpan.FromSeconds(2)));

    // "SET LOCAL jit" is the scan's first statement: the partition starts right after it. "FETCH" is the first page read.
    [TestCase("SELECT now()")]
    [TestCase("FETCH FORWARD")]
    public async Task A_database_that_turns_into_a_black_hole_ends_the_check_within_the_timeout_plus_the_margin(string partitionAt)
    {
        var server = DatabaseSettings.FromDaemonVariables(TestServices.Environment);
        await using var proxy = PgProxy.Start(server.Host, server.Port);
        proxy.BlackholeAt = partitionAt;

        var (exitCode, elapsed, stdout, stderr) = await RunCheckAsync(new Dictionary<string, string> { ["DB_HOST"] = "127.0.0.1", ["DB_PORT"] = proxy.Port.ToString(System.Globalization.CultureInfo.InvariantCulture) });

        Assert.That(proxy.Blackholed, Is.True, "the check reached the statement where the partition starts");
        AssertIncompleteWithinDeadline(exitCode, elapsed, stdout, stderr);
    }

    [Test]
    public async Task A_store_that_stops_answering_ends_the_check_within_the_timeout_plus_the_margin()
    {
        await using var proxy = S3Proxy.Start(TestServices.Environment.Get("S3_ENDPOINT")!);
        proxy.Stall = true;

        var (exitCode, elapsed, stdout, stderr) = await RunCheckAsync(new Dictionary<string, string> { ["S3_ENDPOINT"] = proxy.Endpoint.ToString() });

        Assert.That(proxy.Requests, Is.Not.Empty);
        AssertIncompleteWithinDeadline(exitCode, elapsed, stdout, stderr);
    }

    private static void AssertIncompleteWithinDeadline(int exitCode, TimeSpan elapsed, string stdout, string stderr)
    {
        Assert.That(exitCode, Is.EqualTo((int)ExitCode.Incomplete), stderr);
        Assert.That(elapsed, Is.LessThanOrEqualTo(Timeout + StatedMargin), $"beyond starting and exiting the process; {stderr}");
        using var json = JsonDocument.Parse(stdout);
        Assert.That(json.RootElement.GetProperty("status").GetString(), Is.EqualTo("incomplete"));
        Assert.That(json.RootElement.GetProperty("incompleteReason").GetString(), Does.Contain("--timeout"));
    }

    // The time the check took beyond what starting and exiting the process costs on this machine right now (measured
    // with `dbintegrity version`): the deadline bounds the command's work, not the runtime's start-up.
    private async Task<(int ExitCode, TimeSpan Elapsed, string Stdout, string Stderr)> RunCheckAsync(Dictionary<string, string> extra)
    {
        var environment = CliRunner.Environment(_database, _bucket);
        var baseline = Stopwatch.StartNew();
        using (var version = CliProcess.Start(environment, extra, "(no marker)", "version"))
        {
            await version.WaitForExitAsync(TimeSpan.FromMinutes(2));
        }

        var startup = baseline.Elapsed;
        var clock = Stopwatch.StartNew();
        using var process = CliProcess.Start(environment, extra, "(no marker)", "check", "--format", "json", "--grace", "0", "--timeout", $"{Timeout.TotalSeconds:0}s");
        var exitCode = await process.WaitForExitAsync(TimeSpan.FromMinutes(2));
        return (exitCode, clock.Elapsed - startup, process.Stdout, process.Stderr);
    }
}
