namespace DbIntegrity.Core.Repair;

/// <summary>The scan a plan was made from: how many findings of each severity and which rules ran.</summary>
public sealed record PlanScanSummary
{
    public required int Errors { get; init; }

    public required int Warnings { get; init; }

    public required int Info { get; init; }

    public required long GraceSeconds { get; init; }

    public bool Deep { get; init; }

    public required IReadOnlyList<string> RulesRun { get; init; }
}
