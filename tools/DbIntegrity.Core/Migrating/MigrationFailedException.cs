namespace DbIntegrity.Core.Migrating;

/// <summary>
/// A migration's SQL failed. The run was one transaction, so the database is as it was before the command. The CLI
/// maps it to exit code 3.
/// </summary>
public sealed class MigrationFailedException : Exception
{
    public MigrationFailedException(MigrationDescriptor migration, MigrationDirection direction, string databaseMessage, Exception innerException)
        : base(
            $"migration {migration.Id} ({migration.Origin}) failed {(direction == MigrationDirection.Up ? "up" : "down")}: {databaseMessage}. "
            + "The run was rolled back; the database is unchanged.",
            innerException)
    {
        Migration = migration;
        Direction = direction;
        DatabaseMessage = databaseMessage;
    }

    public MigrationDescriptor Migration { get; }

    public MigrationDirection Direction { get; }

    /// <summary>PostgreSQL's SQLSTATE and message, without row data (error details are off, see DatabaseSettings).</summary>
    public string DatabaseMessage { get; }
}
