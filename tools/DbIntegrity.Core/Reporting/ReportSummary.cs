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

    /// <summary>The findings of each rule, in the order of <see cref="ByRule"/>.</summary>
    public static IEnumerable<(RuleCount Rule, IReadOnlyList<Finding> Findings)> Groups(ScanReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var byRule = report.Findings.GroupBy(f => f.Rule, StringComparer.Ordinal).ToDictionary(g => g.Key, g => (IReadOnlyList<Finding>)[.. g], StringComparer.Ordinal);
        foreach (var count in ByRule(report))
        {
            yield return (count, byRule.GetValueOrDefault(count.Rule, []));
        }
    }

    /// <summary>The rule's explanation: the shared part of its messages, else its one-line summary.</summary>
    public static string Explanation(string rule, IReadOnlyList<Finding> findings)
    {
        ArgumentNullException.ThrowIfNull(findings);
        var shared = findings.Count > 0 ? FindingText.Explanation(findings[0]) : string.Empty;
        return shared.Length > 0 ? shared : RuleCatalog.Descriptors.FirstOrDefault(d => d.Id == rule)?.Summary ?? string.Empty;
    }
}
