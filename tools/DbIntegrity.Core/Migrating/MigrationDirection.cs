namespace DbIntegrity.Core.Migrating;

public enum MigrationDirection
{
    Up,
    Down,
}
