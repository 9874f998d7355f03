namespace DbIntegrity.Core.Migrating;

public enum DatabaseVersioning
{
    /// <summary>No daemon table and no applied migration: <c>migrate up</c> creates the schema.</summary>
    Empty,

    /// <summary>Daemon tables but no applied migration: the daemon made it; <c>migrate baseline</c> adopts it.</summary>
    Unversioned,

    /// <summary>At least one migration is recorded in <c>dbintegrity_version_info</c>.</summary>
    Versioned,
}
