namespace DbIntegrity.Migrations;

/// <summary>
/// Marks a migration that belongs to DbIntegrity itself, not to the daemon. Operator migrations have ids from
/// <see cref="MigrationIds.FirstOperator"/> on, so they always run after every upstream migration.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class OperatorMigrationAttribute : Attribute;
