using System.Globalization;
using System.Text;
using DbIntegrity.Core.Rules;

namespace DbIntegrity.Core.Reporting;

/// <summary>A Markdown report, for pull-request comments and job summaries.</summary>
public static class MarkdownReportWriter
{
    public static string Write(ScanReport report, string title = "DbIntegrity check")
    {
        ArgumentNullException.ThrowIfNull(report);
        var text = new StringBuilder();
        var status = report.Status switch
        {
            ScanStatus.Consistent => "✅ consistent",
            ScanStatus.Inconsistent when report.BlockingErrors == 0 => "☑️ inconsistent, every error accepted by the baseline",
            ScanStatus.Inconsistent => "❌ inconsistent",
            _ => "⚠️ incomplete",
        };
        text.Append(CultureInfo.InvariantCulture, $"## {title}: {status}\n\n");
        text.Append(CultureInfo.InvariantCulture, $"{Escape(ReportSummary.Verdict(report))}\n\n");
        text.Append(CultureInfo.InvariantCulture, $"Database `{report.Database}`, storage `{report.Storage}`, {report.Duration.TotalSeconds:0.0} s; "
            + $"in flight (grace): {report.InFlight}, not confirmed on recheck: {report.Unconfirmed}.\n\n");
        var counts = ReportSummary.ByRule(report);
        if (counts.Count > 0)
        {
            text.Append("| rule | severity | findings |\n|---|---|---:|\n");
            foreach (var count in counts)
            {
                text.Append(CultureInfo.InvariantCulture, $"| `{count.Rule}` | {count.Severity.ToString().ToLowerInvariant()} | {count.Count} |\n");
            }

            text.Append('\n');
        }

        text.Append(CultureInfo.InvariantCulture, $"{ReportSummary.NextStep(report)}\n\n");
        foreach (var listing in ReportSummary.Groups(report))
        {
            var rule = listing.Rule;
            text.Append(CultureInfo.InvariantCulture, $"### `{rule.Rule}` ({rule.Severity.ToString().ToLowerInvariant()}, {rule.Count})\n\n");
            text.Append(CultureInfo.InvariantCulture, $"{Escape(ReportSummary.Explanation(rule.Rule, listing.Shown))}\n\n");
            foreach (var f in listing.Shown)
            {
                text.Append(CultureInfo.InvariantCulture, $"- {Escape(FindingText.Fact(f))}{(report.IsAccepted(f) ? " (accepted)" : string.Empty)}\n");
            }

            if (ReportSummary.More(listing) is { } more)
            {
                text.Append(CultureInfo.InvariantCulture, $"- {Escape(more)}\n");
            }

            text.Append('\n');
        }

        if (report.Baseline is { } baseline)
        {
            text.Append(CultureInfo.InvariantCulture,
                $"Baseline `{Escape(baseline.File)}`: {baseline.Accepted.Count} finding(s) accepted, {report.BlockingErrors} new error(s), {baseline.Fixed.Count} fixed since.\n\n");
            foreach (var entry in baseline.Fixed)
            {
                text.Append(CultureInfo.InvariantCulture, $"- fixed: `{entry.Rule}` {Escape(entry.Message)}\n");
            }

            if (baseline.Fixed.Count > 0)
            {
                text.Append('\n');
            }
        }

        if (report.NotListed > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"{report.NotListed} more info finding(s) were counted but not listed.\n\n");
        }

        if (report.RulesSkipped.Count > 0)
        {
            text.Append("Skipped rules: ").AppendJoin(", ", report.RulesSkipped.Select(s => $"`{s.Rule}` ({Escape(s.Reason)})")).Append("\n\n");
        }

        return text.ToString();
    }

    /// <summary>A short locator: table and row, object key, tenant.</summary>
    public static string Where(Finding finding)
    {
        ArgumentNullException.ThrowIfNull(finding);
        var parts = new List<string>();
        if (finding.Table is not null)
        {
            parts.Add(finding.RowId is null ? finding.Table : $"{finding.Table} {finding.RowId}");
        }

        if (finding.ObjectKey is not null)
        {
            parts.Add(finding.ObjectKey);
        }
        else if (finding.Identifier is not null)
        {
            parts.Add(finding.Identifier);
        }

        if (finding.TenantId is not null)
        {
            parts.Add($"tenant {finding.TenantId}");
        }

        return string.Join(", ", parts);
    }

    private static string Escape(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
