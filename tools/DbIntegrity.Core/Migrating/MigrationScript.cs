namespace DbIntegrity.Core.Migrating;

/// <summary>The statements one migration runs in one direction, as FluentMigrator generates them.</summary>
public sealed record MigrationScript(MigrationDescriptor Migration, MigrationDirection Direction, IReadOnlyList<string> Statements);
