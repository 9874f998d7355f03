using DbIntegrity.Core.Rules;

namespace DbIntegrity.Core.Reporting;

/// <summary>The result of one scan. <see cref="Status"/> is <see cref="ScanStatus.Inconsistent"/> exactly when an error finding exists.</summary>
public sealed record ScanReport
{
    public required ScanStatus Status { get; init; }

    /// <summary>Why the scan is incomplete (null otherwise). Never contains a secret.</summary>
    public string? IncompleteReason { get; init; }

    /// <summary>The scan was stopped by the user (the CLI exits 130).</summary>
    public bool Cancelled { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    public required TimeSpan Duration { get; init; }

    /// <summary><c>user@host:port/database</c>.</summary>
    public required string Database { get; init; }

    /// <summary>The bucket and endpoint.</summary>
    public required string Storage { get; init; }

    public bool Deep { get; init; }

    public TimeSpan Grace { get; init; }

    /// <summary>Listed findings, most severe first. Info findings past the per-rule limit are only counted.</summary>
    public required IReadOnlyList<Finding> Findings { get; init; }

    /// <summary>Every finding counted by rule, listed or not.</summary>
    public required IReadOnlyDictionary<string, int> CountsByRule { get; init; }

    public required IReadOnlyDictionary<Severity, int> CountsBySeverity { get; init; }

    public required IReadOnlyList<string> RulesRun { get; init; }

    public required IReadOnlyList<SkippedRule> RulesSkipped { get; init; }

    /// <summary>Candidate findings whose rows or objects were younger than the grace period.</summary>
    public int InFlight { get; init; }

    /// <summary>Candidate findings that the live recheck no longer confirmed (the daemon changed things meanwhile).</summary>
    public int Unconfirmed { get; init; }

    /// <summary>Info findings counted but not listed.</summary>
    public int NotListed { get; init; }

    /// <summary>Rows read per table and objects listed per prefix.</summary>
    public required IReadOnlyDictionary<string, long> Scanned { get; init; }


    /// <summary>The baseline the findings were matched against (<c>--baseline</c>), if any.</summary>
    public BaselineOutcome? Baseline { get; init; }

    /// <summary>Error findings the baseline does not accept: what fails a check or blocks a gate.</summary>
    public int BlockingErrors => Findings.Count(f => f.Severity == Severity.Error && !IsAccepted(f));

    /// <summary>The finding is in the baseline: it stays visible, marked accepted, and fails nothing.</summary>
    public bool IsAccepted(Finding finding) => Baseline?.IsAccepted(finding) == true;
}
