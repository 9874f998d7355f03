namespace DbIntegrity.Core.Repair;

/// <summary>How an apply ended (the CLI maps it to the exit code).</summary>
public enum RepairOutcome
{
    /// <summary>Every fix is applied (some may have been applied by an earlier run).</summary>
    Applied,

    /// <summary>Every fix was already applied: nothing changed.</summary>
    NothingToDo,

    /// <summary>A fact no longer holds: the plan was refused before any row changed. Make a new plan.</summary>
    RefusedStale,

    /// <summary>The rows are repaired, but some object deletions were skipped because the objects changed.</summary>
    PartiallyBlocked,
}
