namespace DbIntegrity.Migrations.Preconditions;

/// <summary>Which way of a migration a precondition guards.</summary>
public enum PreconditionDirection
{
    Up,
    Down,
}
