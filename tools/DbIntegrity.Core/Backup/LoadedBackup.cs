namespace DbIntegrity.Core.Backup;

/// <summary>A backup's manifest and where it was read from (its copies are keys in <see cref="BackupLocation.Bucket"/>).</summary>
public sealed record LoadedBackup(BackupLocation Location, BackupManifest Manifest);
