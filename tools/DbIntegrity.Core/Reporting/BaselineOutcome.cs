using DbIntegrity.Core.Rules;

namespace DbIntegrity.Core.Reporting;

/// <summary>
/// A report matched against a baseline file: which findings it accepts (they stay in the report, marked accepted, and
/// do not count toward the exit code), and which of its entries were not found again (fixed).
/// </summary>
public sealed record BaselineOutcome
{
    /// <summary>The baseline file, as given on the command line.</summary>
    public required string File { get; init; }

    /// <summary>Fingerprints of the report's findings that the baseline accepts.</summary>
    public required IReadOnlySet<string> Accepted { get; init; }

    /// <summary>Baseline entries whose rule ran and which were not found again.</summary>
    public required IReadOnlyList<BaselineEntry> Fixed { get; init; }

    /// <summary>Baseline entries whose rule did not run (skipped, or left out by --rules): neither found nor fixed.</summary>
    public required IReadOnlyList<BaselineEntry> NotChecked { get; init; }

    public bool IsAccepted(Finding finding)
    {
        ArgumentNullException.ThrowIfNull(finding);
        return Accepted.Contains(finding.Fingerprint);
    }
}
