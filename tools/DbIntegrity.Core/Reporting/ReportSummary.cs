using DbIntegrity.Core.Rules;
using DbIntegrity.Core.Wording;

namespace DbIntegrity.Core.Reporting;

/// <summary>
/// What every human-readable report says first: the verdict (for an incomplete scan, the reason first), the counts by
/// rule and severity, and what to do next. One wording for the table, Markdown and the gate.
/// </summary>
public static class ReportSummary
{
    /// <summary>Table and Markdown list at most this many findings per rule (JSON lists every one).</summary>
    public const int ListedPerRule = 100;

    /// <summary>Findings counted per rule, most severe first, then the most frequent.</summary>
    public static IReadOnlyList<RuleCount> ByRule(ScanReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var severities = RuleCatalog.Descriptors.ToDictionary(d => d.Id, d => d.Severity, StringComparer.Ordinal);
        foreach (var finding in report.Findings)
        {
            severities[finding.Rule] = finding.Severity;
        }

        return [.. report.CountsByRule
            .Where(c => c.Value > 0)
            .Select(c => new RuleCount(c.Key, severities.GetValueOrDefault(c.Key, Severity.Info), c.Value))
            .OrderByDescending(c => c.Severity)
            .ThenByDescending(c => c.Count)
            .ThenBy(c => c.Rule, StringComparer.Ordinal)];
    }

    /// <summary>One line: the status and the counts; for an incomplete scan, why it stopped comes first.</summary>
    public static string Verdict(ScanReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var counts = report.CountsBySeverity;
        var tally = $"{counts.GetValueOrDefault(Severity.Error)} error(s), {counts.GetValueOrDefault(Severity.Warning)} warning(s), {counts.GetValueOrDefault(Severity.Info)} info";
        return report.Status switch
        {
            ScanStatus.Incomplete => $"incomplete: {(report.Cancelled ? "cancelled" : report.IncompleteReason?.TrimEnd('.') ?? "the scan did not finish")}. "
                + $"Nothing is concluded (so far {tally} in {report.RulesRun.Count} rule(s)).",
            ScanStatus.Consistent => $"consistent: {tally} in {report.RulesRun.Count} rule(s).",
            _ when report.BlockingErrors == 0 => $"inconsistent, every error accepted by the baseline: {tally} in {report.RulesRun.Count} rule(s).",
            _ => $"inconsistent: {tally} in {report.RulesRun.Count} rule(s).",
        };
    }

    /// <summary>What the reader should do now.</summary>
    public static string NextStep(ScanReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return report switch
        {
            { Cancelled: true } => "Next: run the command again when you can let it finish.",
            { Status: ScanStatus.Incomplete } => "Next: fix the cause above and run again; a scan that did not finish never counts as consistent.",
            { BlockingErrors: > 0 } => $"Next: `{HostWords.Of(Wording.NextStep.WriteRepairPlan)} plan.json` proposes the smallest fix for each error (read-only), "
                + $"`{HostWords.Of(Wording.NextStep.ApplyRepairPlan)} plan.json` applies it; findings you accept for now can go in a baseline (`{HostWords.Of(Wording.NextStep.WriteBaseline)} FILE`).",
            { Status: ScanStatus.Inconsistent } => "Next: nothing new; the errors are accepted by the baseline until they are fixed.",
            _ when report.CountsBySeverity.GetValueOrDefault(Severity.Warning) > 0 => "Next: nothing blocks; the warnings are worth a look.",
            _ => "Next: nothing to do.",
        };
    }

    /// <summary>
    /// Each rule in the order of <see cref="ByRule"/>, with at most <paramref name="shown"/> of its findings: one pass over
    /// the findings, holding no more than that per rule, so a lost prefix's 10⁵ findings are counted, not kept.
    /// </summary>
    public static IReadOnlyList<RuleListing> Groups(ScanReport report, int shown = ListedPerRule)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentOutOfRangeException.ThrowIfNegative(shown);
        var firsts = new Dictionary<string, List<Finding>>(StringComparer.Ordinal);
        var listed = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var finding in report.Findings)
        {
            listed[finding.Rule] = listed.GetValueOrDefault(finding.Rule) + 1;
            if (!firsts.TryGetValue(finding.Rule, out var first))
            {
                firsts[finding.Rule] = first = [];
            }

            if (first.Count < shown)
            {
                first.Add(finding);
            }
        }

        return [.. ByRule(report).Select(count => new RuleListing(count, firsts.GetValueOrDefault(count.Rule) ?? [], listed.GetValueOrDefault(count.Rule)))];
    }

    /// <summary>
    /// The line after a rule's findings when some are not shown: how many more, and that the JSON report lists every one
    /// (<paramref name="alsoListedBy"/> names another way, e.g. the table's verbose flag); null when every one is shown.
    /// </summary>
    public static string? More(RuleListing listing, string? alsoListedBy = null)
    {
        ArgumentNullException.ThrowIfNull(listing);
        var counted = listing.NotListed > 0 ? $"{listing.NotListed} more info finding(s) counted, not listed" : null;
        if (listing.NotShown > 0)
        {
            return $"… and {listing.NotShown} more; the JSON report ({HostWords.Of(UserOption.ReportFormat)} json) lists every one{alsoListedBy}."
                + (counted is null ? string.Empty : $" {counted}.");
        }

        return counted is null ? null : $"… and {counted}.";
    }

    /// <summary>The rule's explanation: the shared part of its messages, else its one-line summary.</summary>
    public static string Explanation(string rule, IReadOnlyList<Finding> findings)
    {
        ArgumentNullException.ThrowIfNull(findings);
        var shared = findings.Count > 0 ? FindingText.Explanation(findings[0]) : string.Empty;
        return shared.Length > 0 ? shared : RuleCatalog.Descriptors.FirstOrDefault(d => d.Id == rule)?.Summary ?? string.Empty;
    }
}
