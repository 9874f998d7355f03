namespace DbIntegrity.Core.Migrating;

/// <summary>A migration of the chain and, when it is applied, its version row.</summary>
public sealed record MigrationState(MigrationDescriptor Migration, AppliedMigration? Applied)
{
    public bool IsApplied => Applied is not null;
}
