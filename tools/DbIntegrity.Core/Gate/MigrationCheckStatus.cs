namespace DbIntegrity.Core.Gate;

public enum MigrationCheckStatus
{
    Passed,
    Failed,

    /// <summary>Nothing to compare (e.g. recorded by baseline, or applied before checksums were kept).</summary>
    Skipped,
}
