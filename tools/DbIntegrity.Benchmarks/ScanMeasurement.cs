using DbIntegrity.Core.Configuration;
using DbIntegrity.Core.Deployments;
using DbIntegrity.Core.Reporting;
using DbIntegrity.Core.Rules;
using DbIntegrity.Core.Scanning;
using DbIntegrity.Core.Storage;
using Npgsql;

namespace DbIntegrity.Benchmarks;

/// <summary>
/// A scan run <c>runs</c> times (median wall time, peak working set) after untimed warm-up runs (<see cref="WarmUpRuns"/>, <see cref="WarmUpTime"/>), plus one untimed
/// run with forced full collections for the live heap. Memory is handed back to the OS before each run so one run's
/// peak is its own. The warm-up: .NET compiles hot methods again, optimised, in the background during the first few
/// seconds of a process (tiered compilation), so on two busy cores the first two runs of a 1–2 s scan were slower and
/// a median of three still measured the compiler (2.7 s against 1.35 s with five runs, same build, same minutes).
/// <para>
/// With a paired measurement (the floor; for the wiped scan in engine mode, a consistent scan), each timed scan is
/// followed by one timed run of it, after one untimed run
/// with the warm-up: the machine's speed drifts by more than the targets' margins within a minute, so a ratio is taken
/// of each scan and the run right after it (<see cref="PairedRatio"/>), not of medians measured a minute apart.
/// </para>
/// </summary>
internal sealed record ScanMeasurement(ScanReport Report, TimeSpan Median, long PeakWorkingSet, long PeakLive)
{
    /// <summary>The paired measurement's times, one per timed scan, in order (empty without one).</summary>
    public IReadOnlyList<TimeSpan> Paired { get; init; } = [];

    /// <summary>The timed scans' times, in order.</summary>
    public IReadOnlyList<TimeSpan> Times { get; init; } = [];

    /// <summary>The median of the paired measurement's times.</summary>
    public TimeSpan PairedMedian => Paired.Order().ElementAt(Paired.Count / 2);

    /// <summary>The median, over the timed scans, of each scan's time divided by the paired run's right after it.</summary>
    public double PairedRatio => Times.Zip(Paired, (scan, paired) => scan / paired).Order().ElementAt(Paired.Count / 2);

    /// <summary>
    /// Untimed scans first: at least this many, and more until <see cref="WarmUpTime"/> has passed. One was enough
    /// while a scan took 1.3 s at 10⁴; at 0.6 s, a loop of scans of the same database took 3.5, 1.6, 1.4, 1.3, then
    /// 1.1 s and below: the fifth scan of a process was the first at full speed.
    /// </summary>
    public const int WarmUpRuns = 3;

    /// <summary>
    /// The least time spent warming up. .NET's tiered compilation promotes hot methods in the background, on a timer,
    /// so a process reaches full speed after some seconds, not after some scans: with a 10⁴ scan at 0.3 s, three warm-up
    /// scans left the timed ones at 0.4–0.6 s (a loop of the same database: 1.38, 0.82, 0.65, 0.60, 0.51, 0.38, 0.35 s, …,
    /// 0.27 s). At 10⁵ three scans take longer than this anyway.
    /// </summary>
    public static readonly TimeSpan WarmUpTime = TimeSpan.FromSeconds(10);

    /// <summary>At most this many warm-up scans, however short a scan is.</summary>
    public const int MaxWarmUpRuns = 30;

    public static async Task<ScanMeasurement> RunAsync(
        NpgsqlDataSource dataSource, IObjectReader storage, StorageLayout layout, ScanOptions options, int runs, CancellationToken cancellationToken,
        Func<CancellationToken, Task>? pairedWith = null)
    {
        var reports = new List<ScanReport>();
        var paired = new List<TimeSpan>();
        long peakWorkingSet = 0;
        var warming = System.Diagnostics.Stopwatch.StartNew();
        for (var warmUp = 0; warmUp < MaxWarmUpRuns && (warmUp < WarmUpRuns || warming.Elapsed < WarmUpTime); warmUp++)
        {
            await IntegrityScanner.ScanAsync(new DeploymentReader(dataSource, storage, layout), options, null, cancellationToken);
        }

        if (pairedWith is not null)
        {
            await pairedWith(cancellationToken);
        }

        for (var run = 0; run < runs; run++)
        {
            Release();
            var sampler = new MemorySampler();
            reports.Add(await IntegrityScanner.ScanAsync(new DeploymentReader(dataSource, storage, layout), options, null, cancellationToken));
            await sampler.DisposeAsync();
            peakWorkingSet = Math.Max(peakWorkingSet, sampler.PeakWorkingSetBytes);
            if (pairedWith is not null)
            {
                var clock = System.Diagnostics.Stopwatch.StartNew();
                await pairedWith(cancellationToken);
                paired.Add(clock.Elapsed);
            }
        }

        Release();
        var probe = new MemorySampler(forceFullGc: true);
        await IntegrityScanner.ScanAsync(new DeploymentReader(dataSource, storage, layout), options, null, cancellationToken);
        await probe.DisposeAsync();
        var median = reports.OrderBy(r => r.Duration).ElementAt(reports.Count / 2);
        return new ScanMeasurement(median, median.Duration, peakWorkingSet, probe.PeakLiveBytes) { Paired = paired, Times = [.. reports.Select(r => r.Duration)] };
    }

    /// <summary>Fails the benchmark when the scan did not see what the deployment holds (a fast wrong scan proves nothing).</summary>
    public void Expect(ScanStatus status, IReadOnlyDictionary<string, int> expectedErrors)
    {
        var errors = Report.CountsByRule.Where(kv => Report.Findings.Any(f => f.Rule == kv.Key && f.Severity == Severity.Error) || expectedErrors.ContainsKey(kv.Key))
            .ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        var listedErrors = Report.Findings.Count(f => f.Severity == Severity.Error);
        if (Report.Status != status
            || !errors.OrderBy(kv => kv.Key, StringComparer.Ordinal).SequenceEqual(expectedErrors.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            || listedErrors != Report.CountsBySeverity[Severity.Error])
        {
            throw new InvalidOperationException(
                $"Expected {status} with {string.Join(", ", expectedErrors.Select(kv => $"{kv.Key}={kv.Value}"))}, got {Report.Status} ({Report.IncompleteReason}) with "
                + $"{string.Join(", ", Report.CountsByRule.Select(kv => $"{kv.Key}={kv.Value}"))}; {listedErrors} error findings listed of {Report.CountsBySeverity[Severity.Error]}.");
        }
    }

    private static void Release()
    {
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
    }
}
