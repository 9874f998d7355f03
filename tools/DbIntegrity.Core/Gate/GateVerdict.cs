namespace DbIntegrity.Core.Gate;

/// <summary>What the gate concluded. The CLI maps it to exit 0, 1 and 3.</summary>
public enum GateVerdict
{
    /// <summary>Nothing blocks: no new error finding, every precondition holds, applied migrations are known, in order and unchanged.</summary>
    Pass,

    /// <summary>Something blocks; <see cref="GateReport.Blockers"/> says what.</summary>
    Block,

    /// <summary>Nothing blocks as far as the gate got, but it could not finish (scan incomplete, a precondition could not run): no verdict.</summary>
    Incomplete,
}
