using DbIntegrity.Core.Database;
using DbIntegrity.Core.Deployments;
using DbIntegrity.Core.Scanning;
using DbIntegrity.Core.Storage;
using DbIntegrity.Core.Wording;
using Npgsql;

namespace DbIntegrity.Core.Repair;

/// <summary>
/// Applies a plan. The order is what makes a crash harmless (docs/daemon/storage.md#lifecycle, docs/daemon/storage.md#the-30-second-loop):
/// <list type="number">
/// <item>assess: every fix is pending, already done or stale; one stale fix refuses the whole plan, nothing written;</item>
/// <item>backup: rows.json, restore.sql and copies of every object to be deleted or overwritten;</item>
/// <item>copies: restored packages, then installed markers. Each is a verified copy (docs/daemon/packages.md#checksum) of a package some row
/// names, so it can only fix a reference; a package goes first because a marker without its package makes the
/// daemon fail every 30 seconds;</item>
/// <item>rows: one transaction, facts re-verified under locks; a kill rolls it back;</item>
/// <item>deletions: keys no row refers to (invalid keys, markers of uninstalled plugins), after the commit.</item>
/// </list>
/// Every step recognises its own result, so running the same plan again finishes an interrupted apply and otherwise
/// changes nothing.
/// </summary>
public static class RepairApplier
{
    // One apply at a time per database; a session lock, so a killed apply releases it. The key spells "dbirepap".
    private const string ApplyLockSql = "SELECT pg_try_advisory_lock(7233459891559489904)";

    public static async Task<RepairApplyResult> ApplyAsync(
        RepairPlan plan, Deployment deployment, Func<string, IObjectStore> bucket, RepairTarget actual, RepairApplyOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(deployment);
        var (dataSource, store) = (deployment.Database, deployment.Store);
        ArgumentNullException.ThrowIfNull(actual);
        ArgumentNullException.ThrowIfNull(options);
        if (plan.Target.Mismatch(actual) is { } mismatch)
        {
            throw new ConfigurationException($"The plan was made for another deployment: {mismatch}. Make a plan against this one with: {HostWords.Of(NextStep.MakeRepairPlan)}");
        }

        var layout = plan.Target.Layout;
        options.Backup.EnsureOutside(store.Bucket, layout);
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await AcquireApplyLockAsync(connection, cancellationToken);
            var schema = await SchemaInspector.InspectAsync(connection, cancellationToken);
            PlanValidation.Validate(plan, schema, layout);
            await PrivilegeCheck.EnsureAsync(connection, schema, plan, cancellationToken);
            var session = new ApplySession { Connection = connection, Schema = schema, Store = store, Bucket = bucket, Layout = layout, Database = actual.DescribeDatabase() };
            try
            {
                return await RunAsync(session, plan, options, cancellationToken);
            }
            finally
            {
                // A pooled connection would keep the session lock until its reset; release it now.
                await using var unlock = new NpgsqlCommand("SELECT pg_advisory_unlock_all()", connection);
                await unlock.ExecuteNonQueryAsync(CancellationToken.None);
            }
        }
        catch (NpgsqlException ex)
        {
            throw new UnavailableException("database", IntegrityScanner.DatabaseFailure(ex) + " Run apply again: it finishes what an interrupted apply left and changes nothing twice.", ex);
        }
    }

    // A killed apply's session may take a moment to end on the server; wait for it a little before giving up.
    private static async Task AcquireApplyLockAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 20; attempt++)
        {
            await using var command = new NpgsqlCommand(ApplyLockSql, connection);
            if (await command.ExecuteScalarAsync(cancellationToken) is true)
            {
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
        }

        throw new UnavailableException("database", $"another {HostWords.Of(NextStep.ApplyRepairPlan)} is running against this database; wait for it to finish, then run apply again.");
    }

    private static async Task<RepairApplyResult> RunAsync(ApplySession session, RepairPlan plan, RepairApplyOptions options, CancellationToken cancellationToken)
    {
        var log = options.Log;
        log?.Report($"checking {plan.Fixes.Count} fix(es) against the live state");
        var verdicts = await RepairAssessment.AssessAsync(session, plan, cancellationToken);
        if (verdicts.Values.Any(v => v.State == StepState.Stale))
        {
            return Refused(plan, verdicts, backup: null, local: null, notes: [$"Nothing was changed. Make a new plan: {HostWords.Of(NextStep.MakeRepairPlan)}"]);
        }

        var pending = plan.Fixes.Where(f => verdicts[f.Id].State == StepState.Pending).ToList();
        if (pending.Count == 0)
        {
            return new RepairApplyResult
            {
                Outcome = RepairOutcome.NothingToDo,
                Fixes = [.. plan.Fixes.Select(f => new FixResult(f.Id, f.Kind, f.Summary, FixOutcome.AlreadyDone))],
            };
        }

        var now = DateTimeOffset.UtcNow;
        var backupId = $"repair-{now:yyyyMMdd'T'HHmmssfff'Z'}";
        var location = options.Backup.Child(backupId);

        // Its own sub-directory per apply: a resumed apply backs up nothing already changed, so reusing the files of an
        // interrupted one would replace its rows.json and restore.sql with empty ones and lose the way back.
        var local = options.LocalBackupDirectory is { } directory ? Path.Combine(directory, backupId) : null;
        var steps = pending.SelectMany(f => f.Steps.Select(s => (Fix: f, Step: s))).ToList();
        await RepairBackupWriter.WriteAsync(session, plan, steps, location, backupId, now, local, log, cancellationToken);
        await CheckpointAsync(options, RepairCheckpoints.BackupWritten, cancellationToken);

        var copied = new List<string>();
        foreach (var (fix, copy) in steps.Where(s => s.Step is RepairStep.CopyObject).Select(s => (s.Fix, Step: (RepairStep.CopyObject)s.Step)).OrderBy(s => RepairObjectPhase.CopyOrder(session, s.Step)))
        {
            if (await RepairObjectPhase.CopyAsync(session, fix, copy, cancellationToken) is { } problem)
            {
                verdicts[fix.Id] = StepVerdict.Stale(problem);
                return Refused(plan, verdicts, location.ToString(), local,
                    [$"No row was changed. Copies already written are verified packages of the identifiers they restore: {(copied.Count == 0 ? "none" : string.Join(", ", copied))}.",
                     $"Make a new plan: {HostWords.Of(NextStep.MakeRepairPlan)}"]);
            }

            copied.Add(copy.DestinationKey);
            log?.Report($"{fix.Id}: restored {copy.DestinationKey} from {(copy.SourceBucket is null ? copy.SourceKey : $"s3://{copy.SourceBucket}/{copy.SourceKey}")}");
        }

        await CheckpointAsync(options, RepairCheckpoints.ObjectsCopied, cancellationToken);

        var rowFixes = pending.Where(f => f.Steps.Any(RepairDatabasePhase.IsRowStep)).ToList();
        if (rowFixes.Count > 0 && await RepairDatabasePhase.RunAsync(session, rowFixes, options, cancellationToken) is { } stale)
        {
            return Refused(plan, verdicts, location.ToString(), local,
                [$"The data changed while applying: {stale}. The transaction was rolled back: no row was changed.",
                 copied.Count == 0 ? "No object was changed." : $"Verified package copies already written: {string.Join(", ", copied)}.",
                 $"Make a new plan: {HostWords.Of(NextStep.MakeRepairPlan)}"]);
        }

        await CheckpointAsync(options, RepairCheckpoints.Committed, cancellationToken);

        var blocked = new Dictionary<string, string>(StringComparer.Ordinal);
        var deleted = 0;
        foreach (var (fix, delete) in steps.Where(s => s.Step is RepairStep.DeleteObject).Select(s => (s.Fix, Step: (RepairStep.DeleteObject)s.Step)))
        {
            if (await RepairObjectPhase.DeleteAsync(session, fix, delete, cancellationToken) is { } problem)
            {
                blocked[fix.Id] = problem;
                log?.Report($"{fix.Id}: not deleted, {problem}");
                continue;
            }

            log?.Report($"{fix.Id}: deleted {delete.Key}");
            if (++deleted == 1)
            {
                await CheckpointAsync(options, RepairCheckpoints.FirstObjectDeleted, cancellationToken);
            }
        }

        return new RepairApplyResult
        {
            Outcome = blocked.Count > 0 ? RepairOutcome.PartiallyBlocked : RepairOutcome.Applied,
            Fixes = [.. plan.Fixes.Select(f => blocked.TryGetValue(f.Id, out var why)
                ? new FixResult(f.Id, f.Kind, f.Summary, FixOutcome.Stale, why)
                : new FixResult(f.Id, f.Kind, f.Summary, verdicts[f.Id].State == StepState.Done ? FixOutcome.AlreadyDone : FixOutcome.Applied))],
            Backup = location.ToString(),
            LocalBackupDirectory = local,
            Notes = blocked.Count > 0 ? ["The rows are repaired; the objects above changed since the plan, or an install of their identifier could not be held off, and were left alone. Run check, then plan again for them."] : [],
        };
    }

    private static RepairApplyResult Refused(RepairPlan plan, Dictionary<string, StepVerdict> verdicts, string? backup, string? local, IReadOnlyList<string> notes) => new()
    {
        Outcome = RepairOutcome.RefusedStale,
        Fixes = [.. plan.Fixes.Select(f => verdicts.GetValueOrDefault(f.Id) is { State: StepState.Stale } stale
            ? new FixResult(f.Id, f.Kind, f.Summary, FixOutcome.Stale, stale.Why)
            : new FixResult(f.Id, f.Kind, f.Summary, verdicts.GetValueOrDefault(f.Id)?.State == StepState.Done ? FixOutcome.AlreadyDone : FixOutcome.NotApplied))],
        Backup = backup,
        LocalBackupDirectory = local,
        Notes = notes,
    };

    private static async Task CheckpointAsync(RepairApplyOptions options, string name, CancellationToken cancellationToken)
    {
        if (options.Checkpoint is not null)
        {
            await options.Checkpoint(name, cancellationToken);
        }
    }
}
