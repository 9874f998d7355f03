namespace DbIntegrity.Core.Migrating;

/// <summary>What a gated <c>migrate up</c> asks before each migration and before it commits; false rolls everything back.</summary>
internal interface IGatedRunHooks
{
    /// <summary>Before <paramref name="migration"/> runs, on the state the earlier migrations of the run left (its preconditions).</summary>
    Task<bool> BeforeEachAsync(MigrationDescriptor migration, RunTransaction transaction, CancellationToken cancellationToken);

    /// <summary>After every migration ran, before the commit (the check inside the transaction).</summary>
    Task<bool> BeforeCommitAsync(IReadOnlyList<MigrationDescriptor> executed, RunTransaction transaction, CancellationToken cancellationToken);
}
