namespace DbIntegrity.Core.Backup;

/// <summary>
/// One object copied into a backup: where it was (<see cref="Key"/>) and where the copy is (<see cref="BackupKey"/>,
/// same bucket as the backup), its size, the SHA-256 of its bytes and, for packages and installed markers, the docs/daemon/packages.md#checksum
/// checksum computed from the copy (null when the object is not a readable package).
/// </summary>
public sealed record BackupEntry(string Key, string BackupKey, long Size, string Sha256, string? Checksum, BackupObjectKind Kind);
