using DbIntegrity.Core.Reporting;
using DbIntegrity.Core.Reporting.Metrics;
using Prometheus;

namespace DbIntegrity.Cli.Serving;

/// <summary>
/// serve's <c>/metrics</c>: the <see cref="CheckMetrics"/> contract (the same names and labels as
/// <c>check --format prometheus</c>) plus serve's own scan counters, in a registry of its own (no process metrics: they
/// would be the only thing here not about the check). While scans fail, the finding counts stay those of the last
/// complete scan, <c>dbintegrity_serve_stale</c> says so and the status says incomplete.
/// </summary>
internal sealed class ServeMetrics
{
    public const string ScansTotal = "dbintegrity_serve_scans_total";
    public const string ConsecutiveFailures = "dbintegrity_serve_consecutive_failed_scans";
    public const string Stale = "dbintegrity_serve_stale";

    private readonly IMetricFactory _factory;
    private readonly Dictionary<string, Gauge> _gauges = new(StringComparer.Ordinal);
    private readonly Counter _scans;
    private readonly Gauge _failures;
    private readonly Gauge _stale;
    private readonly Lock _gate = new();

    public ServeMetrics()
    {
        Registry = Metrics.NewCustomRegistry();
        _factory = Metrics.WithCustomRegistry(Registry);
        _scans = _factory.CreateCounter(ScansTotal, "Scans serve ran, by outcome (complete: consistent or inconsistent; failed: incomplete).", new CounterConfiguration { LabelNames = ["outcome"] });
        _failures = _factory.CreateGauge(ConsecutiveFailures, "Scans in a row that did not complete (readyz fails at --unready-after).");
        _stale = _factory.CreateGauge(Stale, "1 when the finding counts are those of an earlier complete scan because later scans failed.");
        _scans.WithLabels("complete");
        _scans.WithLabels("failed");
    }

    public CollectorRegistry Registry { get; }

    public void Update(ServeSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (snapshot.Latest is not { } latest)
        {
            return;
        }

        var families = CheckMetrics.From(latest, snapshot.LastCompleteAt).ToList();
        if (latest.Status == ScanStatus.Incomplete && snapshot.LastComplete is { } good)
        {
            var counts = CheckMetrics.From(good).Where(f => f.Name is CheckMetrics.Findings or CheckMetrics.FindingsBySeverity).ToDictionary(f => f.Name, StringComparer.Ordinal);
            families = [.. families.Select(f => counts.GetValueOrDefault(f.Name) ?? f)];
        }

        lock (_gate)
        {
            foreach (var family in families)
            {
                Set(family);
            }

            _scans.WithLabels("complete").IncTo(snapshot.ScansCompleted);
            _scans.WithLabels("failed").IncTo(snapshot.ScansFailed);
            _failures.Set(snapshot.ConsecutiveFailures);
            _stale.Set(snapshot.Stale ? 1 : 0);
        }
    }

    private void Set(MetricFamily family)
    {
        if (!_gauges.TryGetValue(family.Name, out var gauge))
        {
            // Absent until set: a last-complete time of 0 would read as "1970", not as "never".
            gauge = _factory.CreateGauge(family.Name, family.Help, new GaugeConfiguration { LabelNames = [.. family.LabelNames], SuppressInitialValue = true });
            _gauges[family.Name] = gauge;
        }

        if (family.LabelNames.Count == 0)
        {
            if (family.Samples.Count > 0)
            {
                gauge.Set(family.Samples[0].Value);
            }

            return;
        }

        var current = family.Samples.Select(s => s.Labels.Select(l => l.Value).ToArray()).ToList();
        foreach (var old in gauge.GetAllLabelValues().ToList())
        {
            if (!current.Any(c => c.SequenceEqual(old, StringComparer.Ordinal)))
            {
                gauge.RemoveLabelled(old);
            }
        }

        foreach (var sample in family.Samples)
        {
            gauge.WithLabels([.. sample.Labels.Select(l => l.Value)]).Set(sample.Value);
        }
    }
}
