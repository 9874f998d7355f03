using DbIntegrity.Core.History;
using DbIntegrity.Core.Reporting;
using DbIntegrity.Core.Rules;

namespace DbIntegrity.Cli.Serving;

/// <summary>
/// serve's one loop: scan, publish, wait the interval plus jitter, again. Scans run one after another on this loop
/// alone, so two never overlap; a scan that fails (an incomplete report or an exception) is counted and the loop goes
/// on. Only cancellation ends it.
/// </summary>
internal sealed class ScanLoop(
    Func<CancellationToken, Task<ScanReport>> scan,
    ServeOptions options,
    CheckRunTable? table,
    VerdictWebhook? webhook,
    Action<string> log,
    Func<string, string> redact,
    TimeProvider time)
{
    private ServeSnapshot _snapshot = ServeSnapshot.Empty;

    /// <summary>Told after every scan (metrics).</summary>
    public event Action<ServeSnapshot>? Published;

    public ServeSnapshot Snapshot => Volatile.Read(ref _snapshot);

    /// <summary>True while a scan runs.</summary>
    public bool Scanning { get; private set; }

    public void Initialize(IReadOnlyList<RunPoint> history, string historySource) =>
        Publish(Snapshot with { History = [.. history.TakeLast(options.HistorySize)], HistorySource = historySource });

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            await ScanOnceAsync(cancellationToken);
            var wait = options.Interval + TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * options.Jitter.TotalMilliseconds);
            try
            {
                await Task.Delay(wait, time, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    internal async Task ScanOnceAsync(CancellationToken cancellationToken)
    {
        Scanning = true;
        var started = time.GetUtcNow();
        ScanReport report;
        try
        {
            report = await scan(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Scanning = false;
            return;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Bad settings and unreachable services surface here before the scanner's own fail-closed report exists.
            report = FailedReport(started, time.GetUtcNow() - started, $"{ex.GetType().Name}: {ex.Message}");
        }
        finally
        {
            Scanning = false;
        }

        if (report.Cancelled && cancellationToken.IsCancellationRequested)
        {
            return;
        }

        var previous = Snapshot;
        var complete = report.Status != ScanStatus.Incomplete;
        var next = previous with
        {
            Latest = report,
            LastComplete = complete ? report : previous.LastComplete,
            ConsecutiveFailures = complete ? 0 : previous.ConsecutiveFailures + 1,
            FailureReason = complete ? null : redact(report.IncompleteReason ?? "the scan did not complete."),
            ScansCompleted = previous.ScansCompleted + (complete ? 1 : 0),
            ScansFailed = previous.ScansFailed + (complete ? 0 : 1),
            History = [.. previous.History.Append(RunPoint.From(report)).TakeLast(options.HistorySize)],
        };
        Publish(next);
        log(complete
            ? $"scan finished: {Core.Reporting.Metrics.CheckMetrics.Name(report.Status)}, {report.CountsBySeverity.GetValueOrDefault(Severity.Error)} error and {report.CountsBySeverity.GetValueOrDefault(Severity.Warning)} warning finding(s) in {report.Duration.TotalSeconds:0.0}s"
            : $"scan did not complete ({next.ConsecutiveFailures} in a row): {next.FailureReason}");

        if (table is not null)
        {
            try
            {
                await table.RecordAsync(report, redact, cancellationToken);
            }
            catch (Exception ex) when (ex is Npgsql.NpgsqlException or InvalidOperationException)
            {
                log($"run not recorded in {CheckRunTable.Table} (kept in memory): {ex.Message}");
            }
        }

        if (webhook is not null && complete && previous.LastComplete is { } before && before.Status != report.Status)
        {
            await webhook.NotifyAsync(before.Status, report, cancellationToken);
        }
    }

    private void Publish(ServeSnapshot snapshot)
    {
        Volatile.Write(ref _snapshot, snapshot);
        Published?.Invoke(snapshot);
    }

    private static ScanReport FailedReport(DateTimeOffset started, TimeSpan duration, string reason) => new()
    {
        Status = ScanStatus.Incomplete,
        IncompleteReason = reason,
        StartedAt = started,
        Duration = duration,
        Database = "(not reached)",
        Storage = "(not reached)",
        Findings = [],
        CountsByRule = new Dictionary<string, int>(),
        CountsBySeverity = new Dictionary<Severity, int>(),
        RulesRun = [],
        RulesSkipped = [],
        Scanned = new Dictionary<string, long>(),
    };
}
