using DbIntegrity.Migrations.Preconditions;

namespace DbIntegrity.Core.Migrating;

/// <summary>
/// One migration of the chain: its id (the FluentMigrator version number), what it does, and either the daemon
/// release it mirrors (<see cref="DaemonVersion"/>) or, for DbIntegrity's own migrations, none (<see cref="IsOperator"/>).
/// </summary>
public sealed record MigrationDescriptor(long Id, string Description, DaemonVersion? DaemonVersion, Type Type)
{
    public bool IsOperator => DaemonVersion is null;

    /// <summary>The data preconditions the migration declares (<see cref="IHasPreconditions"/>), both directions.</summary>
    public IReadOnlyList<MigrationPrecondition> Preconditions { get; init; } = [];

    public IEnumerable<MigrationPrecondition> PreconditionsFor(MigrationDirection direction) =>
        Preconditions.Where(p => p.Direction == (direction == MigrationDirection.Up ? PreconditionDirection.Up : PreconditionDirection.Down));

    /// <summary><c>daemon 0.5.4</c> or <c>operator</c>, as status tables and messages show it.</summary>
    public string Origin => DaemonVersion is null ? "operator" : $"daemon {DaemonVersion}";
}
