namespace DbIntegrity.Core.Migrating;

/// <summary>What a <c>migrate up</c> or <c>migrate down</c> did, in order, and the newest migration applied afterwards.</summary>
public sealed record MigrationRunResult(MigrationDirection Direction, IReadOnlyList<MigrationDescriptor> Executed, MigrationDescriptor? Current);
