using DbIntegrity.Core.Migrating;

namespace DbIntegrity.Core.Gate;

/// <summary>
/// What a migrate to the gate's target would run: the direction, the target id, the migrations in order, and for a
/// database the daemon made itself the release it looks like (its migrations counted as applied).
/// </summary>
internal sealed record GatePlan(MigrationDirection Direction, long TargetId, IReadOnlyList<MigrationDescriptor> Migrations, DaemonVersion? AssumedVersion)
{
    /// <summary>The target was a daemon version: it moves the upstream chain only (<see cref="MigrationTarget"/>).</summary>
    public bool UpstreamOnly { get; init; }
}
