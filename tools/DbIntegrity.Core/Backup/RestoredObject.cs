namespace DbIntegrity.Core.Backup;

/// <summary>One object of a restore and what happened to it.</summary>
public sealed record RestoredObject(string Key, BackupObjectKind Kind, RestoreOutcome Outcome, string? Reason = null);
