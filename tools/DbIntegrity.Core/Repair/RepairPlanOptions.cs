using DbIntegrity.Core.Backup;

namespace DbIntegrity.Core.Repair;

/// <summary>How a plan is made, beyond the scan's own options.</summary>
public sealed record RepairPlanOptions
{
    /// <summary>
    /// Also plan fixes for warnings that have a safe one (an installed marker with no plugins row: delete it, as
    /// uninstall does). Off by default: warnings do not break the daemon. Info findings (harmless orphans, reference
    /// docs/daemon/rules.md#harmless-orphans) are never repaired: deleting an orphan package would throw away the only copy a restore could use.
    /// </summary>
    public bool IncludeWarnings { get; init; }

    /// <summary>Backups whose copies may restore missing packages and installed markers (--from-backup).</summary>
    public IReadOnlyList<LoadedBackup> Backups { get; init; } = [];
}
