using DbIntegrity.Core.Migrating;
using DbIntegrity.Core.Reporting;
using DbIntegrity.Core.Rules;

namespace DbIntegrity.Core.Gate;

/// <summary>
/// What <c>migrate up --gate</c> did after the gate passed: the migrations it ran in its one transaction, whether it
/// committed, and why not: a precondition violated on the state the earlier migrations left, or error findings that
/// appeared in the check inside the transaction.
/// </summary>
public sealed record GatedMigration
{
    public required IReadOnlyList<MigrationDescriptor> Executed { get; init; }

    public required bool Committed { get; init; }

    /// <summary>The migration the run stopped before, when one of its preconditions failed inside the transaction.</summary>
    public MigrationDescriptor? StoppedAt { get; init; }

    /// <summary>Preconditions evaluated inside the transaction right before each migration.</summary>
    public IReadOnlyList<PreconditionResult> Preconditions { get; init; } = [];

    /// <summary>The check inside the transaction, after every migration ran (null when the run stopped earlier).</summary>
    public ScanReport? After { get; init; }

    /// <summary>Findings that appeared or disappeared with the migrations (null when there was no check after).</summary>
    public FindingDiff? Difference { get; init; }

    /// <summary>New error findings the baseline does not accept: these roll the run back.</summary>
    public IReadOnlyList<Finding> NewErrors { get; init; } = [];

    /// <summary>Where the database stands after the run (unchanged when it rolled back).</summary>
    public MigrationDescriptor? Current { get; init; }
}
