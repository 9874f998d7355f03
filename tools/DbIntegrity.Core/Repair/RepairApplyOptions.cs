using DbIntegrity.Core.Backup;

namespace DbIntegrity.Core.Repair;

/// <summary>How <c>repair apply</c> runs.</summary>
public sealed record RepairApplyOptions
{
    /// <summary>Where the backup goes (a sub-folder <c>repair-&lt;time&gt;</c> is created under it).</summary>
    public required BackupLocation Backup { get; init; }

    /// <summary>Also write rows.json, restore.sql, manifest.json and plan.json into a sub-directory <c>repair-&lt;time&gt;</c> of this local directory.</summary>
    public string? LocalBackupDirectory { get; init; }

    /// <summary>How long the repair transaction waits for a lock the daemon holds before giving up (nothing changed then).</summary>
    public TimeSpan LockTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Test hook, called at each named point of the apply (see <see cref="RepairCheckpoints"/>). The CLI wires the
    /// environment variable DBINTEGRITY_TEST_PAUSE_AT to it (honoured only together with a second, long variable that
    /// turns test hooks on) so crash tests can kill the process at a known point.
    /// </summary>
    public Func<string, CancellationToken, Task>? Checkpoint { get; init; }

    /// <summary>Progress lines (phases, each change), for the console.</summary>
    public IProgress<string>? Log { get; init; }
}
