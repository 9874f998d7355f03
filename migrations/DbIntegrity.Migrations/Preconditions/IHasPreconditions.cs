namespace DbIntegrity.Migrations.Preconditions;

/// <summary>
/// A migration that can fail on data it does not control (duplicates a new unique index rejects, values a narrower
/// column cannot hold) implements this to say so. The catalog reads it; the gate evaluates it before the migration runs.
/// </summary>
public interface IHasPreconditions
{
    IReadOnlyList<MigrationPrecondition> Preconditions { get; }
}
