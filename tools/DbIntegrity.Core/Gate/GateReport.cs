using DbIntegrity.Core.Migrating;
using DbIntegrity.Core.Reporting;

namespace DbIntegrity.Core.Gate;

/// <summary>
/// The result of <c>dbintegrity gate</c> or <c>migrate up --gate</c>: the integrity check, the preconditions of every
/// pending migration, the validation of the applied ones, and for <c>migrate up --gate</c> what the run did.
/// </summary>
public sealed record GateReport
{
    /// <summary><c>gate</c> or <c>migrate up --gate</c>, as recorded in dbintegrity_check_runs.</summary>
    public required string Command { get; init; }

    public required GateVerdict Verdict { get; init; }

    /// <summary>Why nothing could be concluded (null unless <see cref="GateVerdict.Incomplete"/>).</summary>
    public string? IncompleteReason { get; init; }

    /// <summary>Stopped by the user (the CLI exits 130).</summary>
    public bool Cancelled { get; init; }

    /// <summary>What blocks, one sentence each; empty when the gate passes.</summary>
    public required IReadOnlyList<string> Blockers { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    public required TimeSpan Duration { get; init; }

    /// <summary><c>user@host:port/database</c>.</summary>
    public required string Database { get; init; }

    public required string Storage { get; init; }

    /// <summary>Up, or Down when <c>--to</c> is below the current version.</summary>
    public required MigrationDirection Direction { get; init; }

    /// <summary>The newest applied migration when the gate started.</summary>
    public MigrationDescriptor? Current { get; init; }

    /// <summary>For a database the daemon made itself (unversioned): the release it looks like, whose migrations count as applied.</summary>
    public DaemonVersion? AssumedVersion { get; init; }

    /// <summary>The migration id the gate plans to (0: revert everything).</summary>
    public required long TargetId { get; init; }

    /// <summary>The target was a daemon version, which addresses the upstream chain only: operator migrations are neither applied nor reverted.</summary>
    public bool TargetUpstreamOnly { get; init; }

    /// <summary><c>50401</c>, or <c>50401 (upstream chain only)</c> for a daemon-version target.</summary>
    public string TargetDescription => TargetUpstreamOnly ? $"{TargetId} (upstream chain only)" : TargetId.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The migrations a migrate to the target would run, in order.</summary>
    public required IReadOnlyList<MigrationDescriptor> Pending { get; init; }

    /// <summary>The integrity check (null when the database has no daemon tables yet: see <see cref="CheckSkipped"/>).</summary>
    public ScanReport? Check { get; init; }

    public string? CheckSkipped { get; init; }

    public required IReadOnlyList<PreconditionResult> Preconditions { get; init; }

    public required IReadOnlyList<MigrationCheck> MigrationChecks { get; init; }

    /// <summary><c>migrate up --gate</c> only: the run, when the gate let it start.</summary>
    public GatedMigration? Run { get; init; }

    /// <summary>The id of this run's row in dbintegrity_check_runs, when it was recorded.</summary>
    public long? RecordedRunId { get; init; }

    /// <summary>Why the run was not recorded (no table at this version, --no-record, or the write failed).</summary>
    public string? RecordNote { get; init; }

    /// <summary>The database after the gate: the run's result for <c>migrate up --gate</c>, else where it started.</summary>
    public MigrationDescriptor? SchemaAfter => Run?.Current ?? Current;
}
