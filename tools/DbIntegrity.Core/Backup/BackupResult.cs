namespace DbIntegrity.Core.Backup;

/// <summary>What <c>dbintegrity backup</c> copied, what was missing, and which copies are not their identifier's package.</summary>
public sealed record BackupResult(BackupLocation Location, BackupManifest Manifest, IReadOnlyList<BackupEntry> ChecksumMismatches)
{
    /// <summary>True when every referenced object was copied and verifies as its identifier's package.</summary>
    public bool Complete => Manifest.Missing.Count == 0 && ChecksumMismatches.Count == 0;
}
