using DbIntegrity.Core.Reporting;
using DbIntegrity.Core.Reporting.Metrics;
using DbIntegrity.Core.Rules;

namespace DbIntegrity.Core.Tests.Reporting;

public sealed class PrometheusReportWriterTests
{
    private static readonly DateTimeOffset Started = new(2026, 11, 24, 0, 0, 0, TimeSpan.Zero);

    private static ScanReport Report(ScanStatus status, params Finding[] findings) => new()
    {
        Status = status,
        IncompleteReason = status == ScanStatus.Incomplete ? "the database did not answer" : null,
        StartedAt = Started,
        Duration = TimeSpan.FromSeconds(1.5),
        Database = "u@h:5432/dify_plugin",
        Storage = "s3://b",
        Findings = findings,
        CountsByRule = findings.GroupBy(f => f.Rule).ToDictionary(g => g.Key, g => g.Count()),
        CountsBySeverity = Enum.GetValues<Severity>().ToDictionary(s => s, s => findings.Count(f => f.Severity == s)),
        RulesRun = ["declaration-package-missing", "orphan-package-object"],
        RulesSkipped = [],
        InFlight = 2,
        Unconfirmed = 1,
        Scanned = new Dictionary<string, long> { ["plugins"] = 3, ["plugin_declarations"] = 4, ["plugin_packages/"] = 5, ["package bytes downloaded (--deep)"] = 99 },
    };

    private static readonly Finding Missing = new() { Rule = "declaration-package-missing", Severity = Severity.Error, Message = "gone", ObjectKey = "plugin_packages/a" };

    private static readonly Finding Orphan = new() { Rule = "orphan-package-object", Severity = Severity.Info, Message = "waste", ObjectKey = "plugin_packages/c" };

    private static List<string> Lines(string text) => [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries)];

    [Test]
    public void Metric_names_types_and_labels_are_the_documented_contract()
    {
        var text = PrometheusReportWriter.Write(Report(ScanStatus.Inconsistent, Missing, Orphan));
        var types = Lines(text).Where(l => l.StartsWith("# TYPE ", StringComparison.Ordinal)).ToList();
        var labels = CheckMetrics.Contract.ToDictionary(f => f.Name, f => string.Join(',', f.LabelNames));

        Assert.Multiple(() =>
        {
            Assert.That(types, Is.EqualTo(new[]
            {
                "# TYPE dbintegrity_check_findings gauge",
                "# TYPE dbintegrity_check_findings_by_severity gauge",
                "# TYPE dbintegrity_check_status gauge",
                "# TYPE dbintegrity_check_duration_seconds gauge",
                "# TYPE dbintegrity_check_rows_read gauge",
                "# TYPE dbintegrity_check_objects_listed gauge",
                "# TYPE dbintegrity_check_in_flight gauge",
                "# TYPE dbintegrity_check_unconfirmed gauge",
                "# TYPE dbintegrity_check_last_run_timestamp_seconds gauge",
                "# TYPE dbintegrity_check_last_complete_timestamp_seconds gauge",
            }));
            Assert.That(labels, Is.EqualTo(new Dictionary<string, string>
            {
                ["dbintegrity_check_findings"] = "rule,severity",
                ["dbintegrity_check_findings_by_severity"] = "severity",
                ["dbintegrity_check_status"] = "status",
                ["dbintegrity_check_duration_seconds"] = "",
                ["dbintegrity_check_rows_read"] = "table",
                ["dbintegrity_check_objects_listed"] = "prefix",
                ["dbintegrity_check_in_flight"] = "",
                ["dbintegrity_check_unconfirmed"] = "",
                ["dbintegrity_check_last_run_timestamp_seconds"] = "",
                ["dbintegrity_check_last_complete_timestamp_seconds"] = "",
            }));
            Assert.That(text, Does.EndWith("# EOF\n"));
        });
    }

    [Test]
    public void A_complete_scan_writes_findings_by_rule_and_severity_status_and_what_it_read()
    {
        var lines = Lines(PrometheusReportWriter.Write(Report(ScanStatus.Inconsistent, Missing, Orphan)));

        Assert.That(lines, Is.SupersetOf(new[]
        {
            "dbintegrity_check_findings{rule=\"declaration-package-missing\",severity=\"error\"} 1",
            "dbintegrity_check_findings{rule=\"orphan-package-object\",severity=\"info\"} 1",
            "dbintegrity_check_findings_by_severity{severity=\"error\"} 1",
            "dbintegrity_check_findings_by_severity{severity=\"warning\"} 0",
            "dbintegrity_check_findings_by_severity{severity=\"info\"} 1",
            "dbintegrity_check_status{status=\"consistent\"} 0",
            "dbintegrity_check_status{status=\"inconsistent\"} 1",
            "dbintegrity_check_status{status=\"incomplete\"} 0",
            "dbintegrity_check_duration_seconds 1.5",
            "dbintegrity_check_rows_read{table=\"plugins\"} 3",
            "dbintegrity_check_rows_read{table=\"plugin_declarations\"} 4",
            "dbintegrity_check_objects_listed{prefix=\"plugin_packages/\"} 5",
            "dbintegrity_check_in_flight 2",
            "dbintegrity_check_unconfirmed 1",
            "dbintegrity_check_last_run_timestamp_seconds 1795478401.5",
            "dbintegrity_check_last_complete_timestamp_seconds 1795478401.5",
        }));
        Assert.That(lines, Has.None.Contains("bytes downloaded"));
    }

    [Test]
    public void An_incomplete_scan_writes_no_finding_counts_and_carries_the_last_complete_time_over()
    {
        var earlier = PrometheusReportWriter.Write(Report(ScanStatus.Consistent));
        var lastComplete = PrometheusReportWriter.ReadLastComplete(earlier);

        var lines = Lines(PrometheusReportWriter.Write(Report(ScanStatus.Incomplete, Missing), lastComplete));

        Assert.Multiple(() =>
        {
            Assert.That(lastComplete, Is.EqualTo(Started + TimeSpan.FromSeconds(1.5)));
            Assert.That(lines.Where(l => !l.StartsWith('#') && l.StartsWith("dbintegrity_check_findings", StringComparison.Ordinal)), Is.Empty);
            Assert.That(lines, Does.Contain("dbintegrity_check_status{status=\"incomplete\"} 1"));
            Assert.That(lines, Does.Contain("dbintegrity_check_last_complete_timestamp_seconds 1795478401.5"));
            Assert.That(Lines(PrometheusReportWriter.Write(Report(ScanStatus.Incomplete))).Where(l => l.StartsWith("dbintegrity_check_last_complete", StringComparison.Ordinal)), Is.Empty);
        });
    }

    [Test]
    public void Label_values_are_escaped()
    {
        var family = new MetricFamily("x", "help", ["table"], [new MetricSample("x", [new("table", "a\"b\\c\nd")], 1)]);

        Assert.That(PrometheusReportWriter.Write([family]), Does.Contain("x{table=\"a\\\"b\\\\c\\nd\"} 1\n"));
    }
}
