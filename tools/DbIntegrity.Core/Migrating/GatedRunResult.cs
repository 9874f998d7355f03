namespace DbIntegrity.Core.Migrating;

/// <summary>
/// What a gated <c>migrate up</c> did: the migrations it ran inside the transaction, whether it committed, the
/// migration whose preconditions stopped it (if any), and where the database stands afterwards.
/// </summary>
internal sealed record GatedRunResult(IReadOnlyList<MigrationDescriptor> Executed, bool Committed, MigrationDescriptor? StoppedAt, MigrationDescriptor? Current);
