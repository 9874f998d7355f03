using DbIntegrity.Core.Rules;

namespace DbIntegrity.Core.Reporting;

/// <summary>
/// One rule's part of a human-readable report: its count, the findings shown (the first few of the report's order) and
/// how many the report lists (what the JSON report holds).
/// </summary>
public sealed record RuleListing(RuleCount Rule, IReadOnlyList<Finding> Shown, int Listed)
{
    /// <summary>Listed findings the table or Markdown leaves out: the JSON report has them.</summary>
    public int NotShown => Listed - Shown.Count;

    /// <summary>Info findings counted past the scan's per-rule limit, listed nowhere.</summary>
    public int NotListed => Math.Max(0, Rule.Count - Listed);
}
