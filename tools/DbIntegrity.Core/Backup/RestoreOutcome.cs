namespace DbIntegrity.Core.Backup;

/// <summary>What restore did with one object of a backup.</summary>
public enum RestoreOutcome
{
    /// <summary>Copied back and verified (or, with --dry-run, would be).</summary>
    Restored,

    /// <summary>The object exists: never overwritten.</summary>
    Present,

    /// <summary>Left out on purpose (the reason says why; --all restores it anyway where that is safe).</summary>
    Skipped,

    /// <summary>The backup copy does not verify (damaged, or not its identifier's package).</summary>
    Failed,
}
