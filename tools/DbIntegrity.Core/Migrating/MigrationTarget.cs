namespace DbIntegrity.Core.Migrating;

/// <summary>
/// A resolved <c>--to</c>: the migration id it names and which migrations it addresses. A daemon version addresses
/// the upstream chain only: its id (below 1000000000) says nothing about DbIntegrity's own migrations, so reaching it
/// never reverts them (<c>gate --to 0.5.4</c> on a database at latest is not a downgrade). <c>latest</c>, <c>0</c> and an
/// explicit migration id address the whole chain.
/// </summary>
public sealed record MigrationTarget(long Id, bool UpstreamOnly)
{
    /// <summary>True when <paramref name="migration"/> is one this target moves: every migration, or only upstream ones.</summary>
    public bool Addresses(MigrationDescriptor migration)
    {
        ArgumentNullException.ThrowIfNull(migration);
        return !UpstreamOnly || !migration.IsOperator;
    }

    /// <summary>The migrations a run to this target applies (up) or reverts (down, newest first), given what is applied.</summary>
    public IReadOnlyList<MigrationDescriptor> Plan(MigrationDirection direction, IEnumerable<MigrationState> states)
    {
        ArgumentNullException.ThrowIfNull(states);
        return direction == MigrationDirection.Up
            ? states.Where(m => !m.IsApplied && m.Migration.Id <= Id && Addresses(m.Migration)).Select(m => m.Migration).ToList()
            : states.Where(m => m.IsApplied && m.Migration.Id > Id && Addresses(m.Migration)).Select(m => m.Migration).Reverse().ToList();
    }
}
