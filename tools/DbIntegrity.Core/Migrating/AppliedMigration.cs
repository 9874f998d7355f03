namespace DbIntegrity.Core.Migrating;

/// <summary>A row of <c>dbintegrity_version_info</c>.</summary>
public sealed record AppliedMigration(long Id, DateTime? AppliedOn, string? Description)
{
    /// <summary>Recorded by <c>migrate baseline</c> rather than run.</summary>
    public bool IsBaseline => Description?.EndsWith(VersionTable.BaselineMark, StringComparison.Ordinal) == true;
}
