namespace DbIntegrity.Migrations;

/// <summary>The two number ranges of the migration chain.</summary>
public static class MigrationIds
{
    /// <summary>Upstream ids are major·10⁶ + minor·10⁴ + patch·10² + sequence, so they stay below this.</summary>
    public const long FirstOperator = 1_000_000_000;
}
