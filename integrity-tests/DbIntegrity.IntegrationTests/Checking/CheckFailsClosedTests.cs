using System.Text.Json;
using DbIntegrity.Cli;
using DbIntegrity.Core.Configuration;
using DbIntegrity.Core.Deployments;
using DbIntegrity.Core.Reporting;
using DbIntegrity.Core.Scanning;
using DbIntegrity.IntegrationTests.Infrastructure;

namespace DbIntegrity.IntegrationTests.Checking;

/// <summary>A scan that could not finish never says "consistent": it exits 3 (130 when cancelled) with status incomplete.</summary>
// S3 only, by nature: the faults are injected by S3Proxy (an HTTP proxy in front of the S3 endpoint). Local storage
// failures have their own tests (LocalObjectStoreTests: missing root, root is a file, links out of the root), Azure
// ones in AzureBlobObjectStoreTests (missing container, wrong key, unreachable endpoint).
[Category("Integration")]
[Parallelizable(ParallelScope.Self)]
public sealed class CheckFailsClosedTests
{
    private TestDatabase _database = null!;
    private TestBucket _bucket = null!;

    [SetUp]
    public async Task SetUpAsync()
    {
        _database = await TestDatabase.CreateMigratedAsync();
        _bucket = await TestBucket.CreateAsync();
        // More than one listing page under plugin/ and plugin_packages/, all consistent: no finding to hide behind.
        await Parallel.ForEachAsync(Enumerable.Range(0, 1100), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
            await _bucket.Store.PutAsync($"plugin_packages/acme/p{i:D4}:1.0.0@{new string('a', 64)}", "x"u8.ToArray(), ct));
    }

    [TearDown]
    public async Task TearDownAsync()
    {
        await _bucket.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Test]
    public async Task Given_S3_failing_from_the_first_request_when_checking_then_exit_3_and_status_incomplete()
    {
        await using var proxy = S3Proxy.Start(TestServices.Environment.Get("S3_ENDPOINT")!);
        proxy.FailAfter = 0;

        var result = await CliRunner.RunAsync(Environment(proxy), "check", "--format", "json", "--grace", "0");

        Assert.That(result.ExitCode, Is.EqualTo((int)ExitCode.Incomplete), result.ToString());
        using var json = JsonDocument.Parse(result.Stdout);
        Assert.That(json.RootElement.GetProperty("status").GetString(), Is.EqualTo("incomplete"));
        Assert.That(json.RootElement.GetProperty("incompleteReason").GetString(), Does.Contain("S3 request failed"));
    }

    [Test]
    public async Task Given_S3_failing_on_the_second_listing_page_when_checking_then_exit_3_not_a_partial_verdict()
    {
        await using var proxy = S3Proxy.Start(TestServices.Environment.Get("S3_ENDPOINT")!);
        // plugin/ is one request; plugin_packages/ needs two pages: the second fails.
        proxy.FailAfter = 2;

        var result = await CliRunner.RunAsync(Environment(proxy), "check", "--format", "json", "--grace", "0");

        Assert.That(result.ExitCode, Is.EqualTo((int)ExitCode.Incomplete), result.ToString());
        Assert.That(proxy.Requests.Count(r => r.StartsWith("GET", StringComparison.Ordinal)), Is.GreaterThan(2), "the failure came mid-listing");
        using var json = JsonDocument.Parse(result.Stdout);
        Assert.That(json.RootElement.GetProperty("status").GetString(), Is.EqualTo("incomplete"));
    }

    [Test]
    public async Task Given_a_listing_answered_with_truncated_XML_then_exit_3_naming_the_endpoint_not_a_bug()
    {
        // A 200 whose XML body stops half-way (issue 12 item 3): the store failed, dbintegrity did not.
        await using var proxy = S3Proxy.Start(TestServices.Environment.Get("S3_ENDPOINT")!);
        proxy.TruncateListings = true;

        var result = await CliRunner.RunAsync(Environment(proxy), "check", "--format", "json", "--grace", "0");

        Assert.That(result.ExitCode, Is.EqualTo((int)ExitCode.Incomplete), result.ToString());
        Assert.That(result.Stdout + result.Stderr, Does.Not.Contain("a bug in dbintegrity"));
        using var json = JsonDocument.Parse(result.Stdout);
        Assert.That(json.RootElement.GetProperty("status").GetString(), Is.EqualTo("incomplete"));
        Assert.That(json.RootElement.GetProperty("incompleteReason").GetString(),
            Does.Contain("S3 request failed").And.Contain("cannot be parsed").And.Contain(proxy.Endpoint.Authority));
    }

    [Test]
    public async Task Given_only_the_database_rules_connection_is_dropped_then_the_report_is_incomplete_not_cancelled()
    {
        var settings = StorageSettings.FromDaemonVariables(Environment(proxy: null));
        await using var admin = _database.Settings.CreateDataSource("dbi-test-admin");
        // The database rules' connection is named for them ("<name> (rules)", while its transaction lasts); the identifier
        // pass keeps its own, and the declarations theirs. It is dropped when the pass starts, but only while it is still
        // in its transaction: a fast machine may have run every rule on it by then, and that scan is rightly complete.
        // Then the scan runs again, on fresh backends.
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            var name = $"dbi-dropped-side-{attempt}";
            await using var dataSource = _database.Settings.CreateDataSource(name);
            var terminated = 0;
            var progress = new Inline(p =>
            {
                if (terminated == 0 && p.Phase == "cross-checking identifiers")
                {
                    using var kill = admin.CreateCommand(
                        $"SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = '{name} (rules)' AND state <> 'idle'");
                    terminated = Convert.ToInt32(kill.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
                }
            });

            var report = await IntegrityScanner.ScanAsync(new DeploymentReader(dataSource, _bucket.Store, settings.Layout), new ScanOptions { Grace = TimeSpan.Zero }, progress, CancellationToken.None);
            if (terminated == 0)
            {
                continue;
            }

            Assert.That(report.Status, Is.EqualTo(ScanStatus.Incomplete));
            Assert.That(report.Cancelled, Is.False);
            Assert.That(report.IncompleteReason, Does.Contain("database").And.Not.Contain("cancelled"));
            return;
        }

        Assert.Fail("In five scans the second connection had always finished its rules before the identifier pass started.");
    }

    [Test]
    public async Task Given_the_database_connection_is_dropped_mid_scan_then_the_report_is_incomplete()
    {
        var settings = StorageSettings.FromDaemonVariables(Environment(proxy: null));
        await using var dataSource = _database.Settings.CreateDataSource("dbi-dropped-scan");
        await using var admin = _database.Settings.CreateDataSource("dbi-test-admin");
        var terminated = false;
        var progress = new Inline(p =>
        {
            // Kill the scan's own backends (the identifier pass's and, beside it, the database rules') once both are under way.
            if (!terminated && p.Phase == "cross-checking identifiers")
            {
                terminated = true;
                using var kill = admin.CreateCommand("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'dbi-dropped-scan'");
                kill.ExecuteNonQuery();
            }
        });

        var report = await IntegrityScanner.ScanAsync(new DeploymentReader(dataSource, _bucket.Store, settings.Layout), new ScanOptions { Grace = TimeSpan.Zero }, progress, CancellationToken.None);

        Assert.That(terminated, Is.True, "the scan reached the point where the connection is dropped");
        Assert.That(report.Status, Is.EqualTo(ScanStatus.Incomplete));
        Assert.That(report.IncompleteReason, Does.Contain("database"));
    }

    [Test]
    public async Task Given_a_cancelled_scan_then_it_is_incomplete_and_marked_cancelled()
    {
        var settings = StorageSettings.FromDaemonVariables(Environment(proxy: null));
        await using var dataSource = _database.Settings.CreateDataSource("dbi-cancelled-scan");
        using var cancel = new CancellationTokenSource();
        var progress = new Inline(p =>
        {
            if (p.Phase.StartsWith("cross-checking identifiers", StringComparison.Ordinal))
            {
                cancel.Cancel();
            }
        });

        var report = await IntegrityScanner.ScanAsync(new DeploymentReader(dataSource, _bucket.Store, settings.Layout), new ScanOptions { Grace = TimeSpan.Zero, PageSize = 100 }, progress, cancel.Token);

        Assert.That(report.Status, Is.EqualTo(ScanStatus.Incomplete));
        Assert.That(report.Cancelled, Is.True);
    }

    [Test]
    public async Task Given_a_timeout_shorter_than_the_scan_then_exit_3()
    {
        await using var proxy = S3Proxy.Start(TestServices.Environment.Get("S3_ENDPOINT")!);

        var result = await CliRunner.RunAsync(Environment(proxy), "check", "--timeout", "1ms", "--grace", "0");

        Assert.That(result.ExitCode, Is.EqualTo((int)ExitCode.Incomplete), result.ToString());
        Assert.That(result.Stdout, Does.Contain("incomplete").And.Contain("--timeout"));
    }

    [Test]
    public async Task Given_an_unreachable_database_then_exit_3_without_printing_the_password()
    {
        var environment = Environment(proxy: null).With(new Dictionary<string, string?> { ["DB_PORT"] = "1", ["DB_PASSWORD"] = "pw-must-not-leak-7731" });

        var result = await CliRunner.RunAsync(environment, "check");

        Assert.That(result.ExitCode, Is.EqualTo((int)ExitCode.Incomplete), result.ToString());
        Assert.That(result.Stdout + result.Stderr, Does.Not.Contain("pw-must-not-leak-7731"));
    }

    [Test]
    public async Task The_same_deployment_through_a_healthy_proxy_is_consistent_so_the_failures_above_are_the_proxy()
    {
        await using var proxy = S3Proxy.Start(TestServices.Environment.Get("S3_ENDPOINT")!);

        var result = await CliRunner.RunAsync(Environment(proxy), "check", "--format", "json", "--grace", "0");

        Assert.That(result.ExitCode, Is.EqualTo((int)ExitCode.Success), result.ToString());
        using var json = JsonDocument.Parse(result.Stdout);
        Assert.That(json.RootElement.GetProperty("status").GetString(), Is.EqualTo("consistent"));
        Assert.That(json.RootElement.GetProperty("summary").GetProperty("byRule").GetProperty("orphan-package-object").GetInt32(), Is.EqualTo(1100));
    }

    [TestCase("TERM")]
    [TestCase("INT")]
    public async Task Given_a_check_stuck_on_S3_when_signalled_then_exit_130_and_status_incomplete(string signal)
    {
        // Given an S3 endpoint that stopped answering, and a check running out of process against it.
        await using var proxy = S3Proxy.Start(TestServices.Environment.Get("S3_ENDPOINT")!);
        proxy.Stall = true;
        using var process = CliProcess.Start(Environment(proxy), new Dictionary<string, string>(), "(no marker)", "check", "--format", "json", "--grace", "0");
        for (var waited = 0; waited < 600 && proxy.Requests.Count == 0; waited++)
        {
            await Task.Delay(100);
        }

        Assert.That(proxy.Requests, Is.Not.Empty, "the check reached S3");

        // When the operator (or the orchestrator) stops it.
        await process.SignalAsync(signal);
        var exitCode = await process.WaitForExitAsync(TimeSpan.FromMinutes(1));

        // Then it exits 130 and its report says incomplete, never consistent.
        Assert.That(exitCode, Is.EqualTo((int)ExitCode.Cancelled), process.Stderr);
        using var json = JsonDocument.Parse(process.Stdout);
        Assert.That(json.RootElement.GetProperty("status").GetString(), Is.EqualTo("incomplete"));
    }

    private SettingsSource Environment(S3Proxy? proxy) =>
        CliRunner.Environment(_database, _bucket, proxy is null ? null : new Dictionary<string, string?> { ["S3_ENDPOINT"] = proxy.Endpoint.ToString() });

    private sealed class Inline(Action<ScanProgress> report) : IProgress<ScanProgress>
    {
        public void Report(ScanProgress value) => report(value);
    }
}
