namespace DbIntegrity.Core.Repair;

/// <summary>
/// What <c>dbintegrity repair plan</c> found and proposes, written to plan.json and read back by <c>repair apply</c>.
/// Every fix carries the facts it was planned on, so apply can refuse a plan the data has moved away from. The JSON
/// field names are a public contract (README "Repair, backup, restore").
/// </summary>
public sealed record RepairPlan
{
    public const string FormatName = "dbintegrity-repair-plan";
    public const int CurrentFormatVersion = 1;

    public string Format { get; init; } = FormatName;

    public int FormatVersion { get; init; } = CurrentFormatVersion;

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>The database, bucket and prefixes the plan was made against; apply refuses another target.</summary>
    public required RepairTarget Target { get; init; }

    public required PlanScanSummary Scan { get; init; }

    /// <summary>Automatic fixes, in the order they are listed (apply orders the steps itself).</summary>
    public required IReadOnlyList<RepairFix> Fixes { get; init; }

    /// <summary>Findings with no safe automatic fix, each with the reason and what a person should do.</summary>
    public required IReadOnlyList<ManualRepair> Manual { get; init; }

    /// <summary>Warning and info findings left alone (not errors), counted by rule.</summary>
    public required IReadOnlyDictionary<string, int> NotRepaired { get; init; }

    /// <summary>True when the scan found nothing to repair or to hand over.</summary>
    public bool IsEmpty => Fixes.Count == 0 && Manual.Count == 0;
}
