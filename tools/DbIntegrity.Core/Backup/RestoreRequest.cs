using DbIntegrity.Core.Deployments;
using DbIntegrity.Core.Storage;

namespace DbIntegrity.Core.Backup;

/// <summary>What <see cref="RestoreService"/> restores: the backup at <paramref name="Backup"/> in <paramref name="BackupStore"/>, into <paramref name="Deployment"/>.</summary>
public sealed record RestoreRequest(Deployment Deployment, IObjectStore BackupStore, BackupLocation Backup)
{
    /// <summary>Report what would be restored; write nothing.</summary>
    public bool DryRun { get; init; }

    /// <summary>Also restore what would create a new problem (see <see cref="RestoreService"/>); checksums still verified.</summary>
    public bool All { get; init; }
}
