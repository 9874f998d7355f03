namespace DbIntegrity.Core.Repair;

/// <summary>
/// The smallest change that answers one or more findings: the facts it was planned on (apply re-verifies them and
/// refuses the plan when one no longer holds) and the steps that change rows or objects.
/// </summary>
public sealed record RepairFix
{
    /// <summary>F1, F2… in plan order.</summary>
    public required string Id { get; init; }

    public required RepairKind Kind { get; init; }

    /// <summary>What the fix changes, in one line.</summary>
    public required string Summary { get; init; }

    /// <summary>What it does for the daemon: which error stops, what the daemon does next.</summary>
    public required string Effect { get; init; }

    public required IReadOnlyList<FindingReference> Findings { get; init; }

    public required IReadOnlyList<RepairFact> Facts { get; init; }

    public required IReadOnlyList<RepairStep> Steps { get; init; }
}
