namespace DbIntegrity.Core.Repair;

/// <summary>The named points of an apply, in order (the crash tests kill the process at each).</summary>
public static class RepairCheckpoints
{
    /// <summary>The backup is written; nothing else changed.</summary>
    public const string BackupWritten = "backup-written";

    /// <summary>Every restore copy is written; the database is untouched.</summary>
    public const string ObjectsCopied = "objects-copied";

    /// <summary>Inside the transaction: every row change is made but not committed.</summary>
    public const string RowsChanged = "rows-changed";

    /// <summary>The transaction committed; no object deleted yet.</summary>
    public const string Committed = "committed";

    /// <summary>The first object deletion is done.</summary>
    public const string FirstObjectDeleted = "first-object-deleted";

    public static IReadOnlyList<string> All { get; } = [BackupWritten, ObjectsCopied, RowsChanged, Committed, FirstObjectDeleted];
}
