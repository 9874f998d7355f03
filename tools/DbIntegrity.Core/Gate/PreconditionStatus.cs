namespace DbIntegrity.Core.Gate;

public enum PreconditionStatus
{
    /// <summary>No offending row.</summary>
    Holds,

    /// <summary>Offending rows exist: the migration would fail on them.</summary>
    Violated,

    /// <summary>The tables it reads do not exist yet (an earlier pending migration creates them empty), so nothing can offend.</summary>
    NotApplicable,

    /// <summary>Its query failed (e.g. permission denied): no verdict.</summary>
    NotEvaluated,

    /// <summary>Its migration is not between the database and the target (already applied, beyond it, or the other direction): not evaluated.</summary>
    NotDue,
}
