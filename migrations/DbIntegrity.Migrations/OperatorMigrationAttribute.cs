namespace DbIntegrity.Migrations;

/// <summary>
/// Marks a migration that belongs to DbIntegrity itself, not to the daemon. Operator migrations have ids from
/// <see cref="MigrationIds.FirstOperator"/> on: they follow the upstream migrations of the release they shipped with, and
/// each range is ordered on its own (a later daemon release's migrations may run after operator ones already applied).
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class OperatorMigrationAttribute : Attribute;
