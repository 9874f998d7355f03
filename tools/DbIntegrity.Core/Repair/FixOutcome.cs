namespace DbIntegrity.Core.Repair;

/// <summary>What happened to one fix.</summary>
public enum FixOutcome
{
    /// <summary>Applied by this run.</summary>
    Applied,

    /// <summary>Already in the repaired state (an earlier run applied it): left alone.</summary>
    AlreadyDone,

    /// <summary>The data changed since the plan: not applied.</summary>
    Stale,

    /// <summary>Not applied because the plan was refused for another fix.</summary>
    NotApplied,
}
