using DbIntegrity.Core.Rules;

namespace DbIntegrity.Core.Reporting.Metrics;

/// <summary>
/// The metrics of one scan, shared by <c>check --format prometheus</c> and <c>serve</c>'s <c>/metrics</c>. Names and
/// label names are a public contract (README, alert rules and dashboards rely on them); a test asserts them exactly.
/// Finding counts are only reported for a complete scan: an incomplete one read part of the data, and a zero it wrote
/// would clear an alert about a finding it never got to.
/// </summary>
public static class CheckMetrics
{
    public const string Findings = "dbintegrity_check_findings";
    public const string FindingsBySeverity = "dbintegrity_check_findings_by_severity";
    public const string Status = "dbintegrity_check_status";
    public const string Duration = "dbintegrity_check_duration_seconds";
    public const string RowsRead = "dbintegrity_check_rows_read";
    public const string ObjectsListed = "dbintegrity_check_objects_listed";
    public const string InFlight = "dbintegrity_check_in_flight";
    public const string Unconfirmed = "dbintegrity_check_unconfirmed";
    public const string LastRun = "dbintegrity_check_last_run_timestamp_seconds";
    public const string LastComplete = "dbintegrity_check_last_complete_timestamp_seconds";

    /// <summary>Every family's name, help and label names, in the order they are written.</summary>
    public static IReadOnlyList<MetricFamily> Contract { get; } =
    [
        new(Findings, "Findings of the last complete scan by rule and severity (every rule that ran, 0 included).", ["rule", "severity"], []),
        new(FindingsBySeverity, "Findings of the last complete scan by severity.", ["severity"], []),
        new(Status, "1 for the status of the last scan (consistent, inconsistent, incomplete), 0 for the others.", ["status"], []),
        new(Duration, "How long the last scan took.", [], []),
        new(RowsRead, "Rows the last scan read, by table.", ["table"], []),
        new(ObjectsListed, "Objects the last scan listed, by key prefix.", ["prefix"], []),
        new(InFlight, "Candidate findings of the last scan younger than the grace period (in flight, not reported).", [], []),
        new(Unconfirmed, "Candidate findings of the last scan the live recheck no longer confirmed.", [], []),
        new(LastRun, "When the last scan finished (Unix time).", [], []),
        new(LastComplete, "When the last complete scan finished (Unix time); absent until one completes.", [], []),
    ];

    /// <summary>
    /// The samples of <paramref name="report"/>. <paramref name="lastComplete"/> is the end of the last complete scan
    /// before this one (serve's memory, or the previous textfile), reported when this scan did not complete.
    /// </summary>
    public static IReadOnlyList<MetricFamily> From(ScanReport report, DateTimeOffset? lastComplete = null)
    {
        ArgumentNullException.ThrowIfNull(report);
        var finished = report.StartedAt + report.Duration;
        var complete = report.Status != ScanStatus.Incomplete;
        var samples = new Dictionary<string, List<MetricSample>>(StringComparer.Ordinal);
        foreach (var family in Contract)
        {
            samples[family.Name] = [];
        }

        if (complete)
        {
            var severities = RuleCatalog.Descriptors.ToDictionary(d => d.Id, d => d.Severity, StringComparer.Ordinal);
            foreach (var rule in report.RulesRun.Union(report.CountsByRule.Keys, StringComparer.Ordinal).Order(StringComparer.Ordinal))
            {
                var severity = severities.TryGetValue(rule, out var s) ? s : Severity.Error;
                samples[Findings].Add(new(Findings, [new("rule", rule), new("severity", Name(severity))], report.CountsByRule.GetValueOrDefault(rule)));
            }

            foreach (var severity in new[] { Severity.Error, Severity.Warning, Severity.Info })
            {
                samples[FindingsBySeverity].Add(new(FindingsBySeverity, [new("severity", Name(severity))], report.CountsBySeverity.GetValueOrDefault(severity)));
            }
        }

        foreach (var status in new[] { ScanStatus.Consistent, ScanStatus.Inconsistent, ScanStatus.Incomplete })
        {
            samples[Status].Add(new(Status, [new("status", Name(status))], report.Status == status ? 1 : 0));
        }

        samples[Duration].Add(new(Duration, report.Duration.TotalSeconds));
        foreach (var (key, count) in report.Scanned)
        {
            // The scanner counts rows under the table's name and listed objects under the prefix ("plugin/"); the
            // bytes --deep downloaded are neither.
            if (key.EndsWith('/'))
            {
                samples[ObjectsListed].Add(new(ObjectsListed, [new("prefix", key)], count));
            }
            else if (!key.Contains(' ', StringComparison.Ordinal))
            {
                samples[RowsRead].Add(new(RowsRead, [new("table", key)], count));
            }
        }

        samples[InFlight].Add(new(InFlight, report.InFlight));
        samples[Unconfirmed].Add(new(Unconfirmed, report.Unconfirmed));
        samples[LastRun].Add(new(LastRun, finished.ToUnixTimeMilliseconds() / 1000.0));
        if ((complete ? finished : lastComplete) is { } last)
        {
            samples[LastComplete].Add(new(LastComplete, last.ToUnixTimeMilliseconds() / 1000.0));
        }

        return [.. Contract.Select(f => f with { Samples = samples[f.Name] })];
    }

    /// <summary>Label values are the lower-case names the JSON report uses.</summary>
    public static string Name(Severity severity) => severity.ToString().ToLowerInvariant();

    public static string Name(ScanStatus status) => status.ToString().ToLowerInvariant();
}
