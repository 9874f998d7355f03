using System.Diagnostics;
using System.Globalization;
using DbIntegrity.Core.Configuration;
using DbIntegrity.Core.Deployments;
using DbIntegrity.Core.Migrating;
using DbIntegrity.Core.Reporting;
using DbIntegrity.Core.Rules;
using DbIntegrity.Core.Scanning;
using DbIntegrity.Core.Storage;
using DbIntegrity.Core.Wording;
using Npgsql;

namespace DbIntegrity.Core.Gate;

/// <summary>
/// The pre-migration gate. <see cref="EvaluateAsync"/> (<c>dbintegrity gate</c>) runs the integrity check, the
/// preconditions of every migration between the database and the target, and validates the applied migrations (known,
/// in order, unchanged); it is read-only except for its record in <c>dbintegrity_check_runs</c>.
/// <see cref="MigrateAsync"/> (<c>migrate up --gate</c>) runs the same gate and, when it passes, applies the pending
/// migrations in one transaction, re-checks inside it and commits only if no new error finding appeared.
/// </summary>
public sealed class GateService : IAsyncDisposable
{
    /// <summary>The name of an evaluation in its report and record when <see cref="GateOptions.RunName"/> gives none.</summary>
    public const string GateRun = "gate";

    /// <summary>The name of a gated migration in its report and record when <see cref="GateOptions.RunName"/> gives none.</summary>
    public const string GatedMigrationRun = "gated migration";

    private readonly MigrationService _migrations;
    private readonly NpgsqlDataSource _dataSource;
    private readonly IObjectReader _storage;
    private readonly StorageLayout _layout;
    private readonly DatabaseSettings _database;

    private GateService(MigrationService migrations, NpgsqlDataSource dataSource, IObjectReader storage, StorageLayout layout, DatabaseSettings database)
    {
        _migrations = migrations;
        _dataSource = dataSource;
        _storage = storage;
        _layout = layout;
        _database = database;
    }

    public MigrationCatalog Catalog => _migrations.Catalog;

    /// <summary>Checks that the database answers (exit 3 otherwise). The bucket is only read by the scan.</summary>
    public static async Task<GateService> CreateAsync(
        DatabaseSettings database, IObjectReader storage, StorageLayout layout, MigrationCatalog catalog, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(layout);
        var migrations = await MigrationService.CreateAsync(database, catalog, cancellationToken);
        return new GateService(migrations, database.CreateDataSource("dbintegrity-gate"), storage, layout, database);
    }

    /// <summary><c>dbintegrity gate</c>: evaluates and records; changes nothing else.</summary>
    public async Task<GateReport> EvaluateAsync(GateOptions options, IProgress<ScanProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var clock = Stopwatch.StartNew();
        var report = await EvaluateCoreAsync(options.RunName ?? GateRun, options, allowDown: true, progress, cancellationToken);
        return await RecordAsync(report with { Duration = clock.Elapsed }, options, cancellationToken);
    }

    /// <summary>
    /// <c>migrate up --gate</c>: the gate, then every pending migration up to the target in one transaction, the
    /// preconditions of each right before it, and the check again inside the transaction before the commit. A block at
    /// any point rolls everything back: schema and data stay as they were, and only the record of the run is written.
    /// </summary>
    public async Task<GateReport> MigrateAsync(GateOptions options, IProgress<ScanProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var clock = Stopwatch.StartNew();
        var gate = await EvaluateCoreAsync(options.RunName ?? GatedMigrationRun, options, allowDown: false, progress, cancellationToken);
        if (gate.Verdict != GateVerdict.Pass || gate.Pending.Count == 0)
        {
            return await RecordAsync(gate with { Duration = clock.Elapsed }, options, cancellationToken);
        }

        var hooks = new GatedRunHooks(_storage, _layout, options, gate.Check, progress);
        GatedRunResult result;
        try
        {
            result = await _migrations.UpGatedAsync(options.Target, [.. gate.Pending.Select(m => m.Id)], hooks, cancellationToken);
        }
        catch (MigrationFailedException ex)
        {
            var failed = gate with
            {
                Verdict = GateVerdict.Incomplete,
                IncompleteReason = ex.Message,
                Duration = clock.Elapsed,
                Run = new GatedMigration { Executed = [], Committed = false, Current = gate.Current },
            };
            await RecordAsync(failed, options, cancellationToken);
            throw;
        }

        var run = new GatedMigration
        {
            Executed = result.Executed,
            Committed = result.Committed,
            StoppedAt = result.StoppedAt,
            Preconditions = hooks.Preconditions,
            After = hooks.After,
            Difference = hooks.Difference,
            NewErrors = hooks.NewErrors,
            Current = result.Current,
        };
        var blockers = new List<string>();
        string? incomplete = null;
        if (!run.Committed)
        {
            foreach (var violated in run.Preconditions.Where(p => p.Status == PreconditionStatus.Violated))
            {
                blockers.Add($"inside the run, {Describe(violated)}; nothing was committed.");
            }

            if (run.NewErrors.Count > 0)
            {
                blockers.Add(
                    $"the migrations created {run.NewErrors.Count} new error finding(s) ({string.Join(", ", run.NewErrors.Select(f => f.Rule).Distinct(StringComparer.Ordinal))}); "
                    + "the run was rolled back and the database is as it was.");
            }

            incomplete = run.After is { Status: ScanStatus.Incomplete } after
                ? $"the check inside the migration transaction did not finish ({after.IncompleteReason}); the run was rolled back."
                : run.Preconditions.FirstOrDefault(p => p.Status == PreconditionStatus.NotEvaluated) is { } notEvaluated
                    ? $"precondition {notEvaluated.Name} could not be evaluated inside the run ({notEvaluated.Note}); the run was rolled back."
                    : null;
        }

        var report = gate with
        {
            Verdict = run.Committed ? GateVerdict.Pass : blockers.Count > 0 ? GateVerdict.Block : GateVerdict.Incomplete,
            Blockers = blockers,
            IncompleteReason = incomplete,
            Cancelled = run.After?.Cancelled == true,
            Duration = clock.Elapsed,
            Run = run,
        };
        return await RecordAsync(report, options, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _dataSource.DisposeAsync();
        await _migrations.DisposeAsync();
    }

    private async Task<GateReport> EvaluateCoreAsync(string command, GateOptions options, bool allowDown, IProgress<ScanProgress>? progress, CancellationToken cancellationToken)
    {
        var started = DateTimeOffset.UtcNow;
        var (status, schema) = await _migrations.InspectAsync(cancellationToken);
        var plan = GatePlanner.Plan(_migrations.Catalog, status, options.Target, allowDown, _database.Describe());

        // The check first, in its own READ ONLY snapshot with live rechecks, exactly as `dbintegrity check` runs it.
        ScanReport? check = null;
        string? checkSkipped = null;
        if (schema.HasTable("plugins") && schema.HasTable("plugin_declarations"))
        {
            check = await IntegrityScanner.ScanAsync(new DeploymentReader(_dataSource, _storage, _layout), options.Scan, progress, cancellationToken);
            if (options.Baseline is not null)
            {
                check = options.Baseline.Apply(check);
            }
        }
        else
        {
            checkSkipped = "the database has no plugin daemon tables yet, so there is nothing to check; the migrations create them empty.";
        }

        progress?.Report(new ScanProgress("evaluating preconditions and applied migrations", 0));
        IReadOnlyList<PreconditionResult> preconditions = [];
        IReadOnlyDictionary<long, StoredChecksum>? stored = null;
        string? incomplete = null;
        try
        {
            (preconditions, stored) = await ReadOnlyAsync(plan, cancellationToken);
        }
        catch (NpgsqlException ex)
        {
            incomplete = $"the preconditions could not be evaluated: {IntegrityScanner.DatabaseFailure(ex)}";
        }

        preconditions = GatePlanner.WithNotDue(_migrations.Catalog, preconditions, plan, status, incomplete is null);
        var applied = status.Migrations.Where(m => m.IsApplied).Select(m => m.Migration).ToList();
        var current = stored is null ? new Dictionary<long, MigrationChecksum>() : await _migrations.ChecksumsAsync(schema.SchemaName, applied, cancellationToken);
        var migrationChecks = AppliedMigrationValidator.Validate(status, stored, current);

        var blockers = new List<string>();
        if (check is { BlockingErrors: > 0 })
        {
            var rules = check.Findings.Where(f => f.Severity == Severity.Error && !check.IsAccepted(f)).Select(f => f.Rule).Distinct(StringComparer.Ordinal);
            var baseline = check.Baseline is null ? string.Empty : " not accepted by the baseline";
            blockers.Add($"the integrity check found {check.BlockingErrors} error finding(s){baseline}: {string.Join(", ", rules)}.");
        }

        blockers.AddRange(preconditions.Where(p => p.Status == PreconditionStatus.Violated).Select(Describe));
        blockers.AddRange(migrationChecks.Where(c => c.Status == MigrationCheckStatus.Failed).Select(c => c.Message));
        incomplete ??= check is { Status: ScanStatus.Incomplete } ? $"the integrity check did not finish: {check.IncompleteReason}" : null;
        incomplete ??= preconditions.FirstOrDefault(p => p.Status == PreconditionStatus.NotEvaluated) is { } failed
            ? $"precondition {failed.Name} could not be evaluated: {failed.Note}"
            : null;

        return new GateReport
        {
            Command = command,
            Verdict = blockers.Count > 0 ? GateVerdict.Block : incomplete is not null ? GateVerdict.Incomplete : GateVerdict.Pass,
            IncompleteReason = blockers.Count > 0 ? null : incomplete,
            Cancelled = check?.Cancelled == true,
            Blockers = blockers,
            StartedAt = started,
            Duration = DateTimeOffset.UtcNow - started,
            Database = _database.Describe(),
            Storage = _storage.Description,
            Direction = plan.Direction,
            Current = status.Current,
            AssumedVersion = plan.AssumedVersion,
            TargetId = plan.TargetId,
            TargetUpstreamOnly = plan.UpstreamOnly,
            Pending = plan.Migrations,
            Check = check,
            CheckSkipped = checkSkipped,
            Preconditions = preconditions,
            MigrationChecks = migrationChecks,
        };
    }

    /// <summary>Preconditions and stored checksums in one REPEATABLE READ READ ONLY transaction: the gate writes nothing here.</summary>
    private async Task<(IReadOnlyList<PreconditionResult>, IReadOnlyDictionary<long, StoredChecksum>?)> ReadOnlyAsync(GatePlan plan, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
        await using (var readOnly = new NpgsqlCommand("SET TRANSACTION READ ONLY", connection, transaction))
        {
            await readOnly.ExecuteNonQueryAsync(cancellationToken);
        }

        var preconditions = await PreconditionEvaluator.EvaluateAsync(plan.Migrations, plan.Direction, connection, transaction, cancellationToken);
        var stored = await MigrationChecksums.ReadAsync(connection, transaction, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (preconditions, stored);
    }

    private async Task<GateReport> RecordAsync(GateReport report, GateOptions options, CancellationToken cancellationToken)
    {
        if (!options.Record)
        {
            return report with { RecordNote = $"not recorded ({HostWords.Of(UserOption.NoRecord)})." };
        }

        if (report.Cancelled || cancellationToken.IsCancellationRequested)
        {
            return report with { RecordNote = "not recorded: the run was cancelled." };
        }

        var (id, note) = await CheckRunRecorder.RecordAsync(_dataSource, report, options.Present, cancellationToken);
        return report with { RecordedRunId = id, RecordNote = note };
    }

    internal static string Describe(PreconditionResult result)
    {
        var direction = result.Precondition.Direction == Migrations.Preconditions.PreconditionDirection.Down ? " (down)" : string.Empty;
        var rows = string.Join("; ", Enumerable.Range(0, Math.Min(3, result.Rows.Count)).Select(result.DescribeRow));
        var more = result.OffendingCount > 3 ? $"; and {result.OffendingCount - 3} more" : string.Empty;
        return $"precondition {result.Precondition.Id} of migration {result.Migration.Id.ToString(CultureInfo.InvariantCulture)}{direction} ({result.Migration.Origin}) "
            + $"is violated by {result.OffendingCount} row(s): {rows}{more}. {result.Precondition.Remedy}";
    }
}
