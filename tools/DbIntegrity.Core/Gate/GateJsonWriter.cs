using System.Text.Json;
using System.Text.Json.Serialization;
using DbIntegrity.Core.History;
using DbIntegrity.Core.Json;
using DbIntegrity.Core.Migrating;
using DbIntegrity.Core.Reporting;
using DbIntegrity.Core.Rules;

namespace DbIntegrity.Core.Gate;

/// <summary>
/// The gate's JSON report: <c>verdict</c>, <c>blockers</c>, the check (the same document as <c>check --format
/// json</c>), <c>preconditions</c>, <c>migrationChecks</c> and, for <c>migrate up --gate</c>, <c>run</c>. Field names are
/// a public contract; null fields are left out. The compact form (what dbintegrity_check_runs stores) leaves out info
/// findings, which never block and can be many, and lists at most <see cref="CheckRunTable.StoredFindings"/> of the
/// others (a lost prefix is 10⁵ findings), saying how many it left out.
/// </summary>
public static class GateJsonWriter
{
    private static readonly JsonSerializerOptions Options = JsonFiles.Options(o => o.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull);
    private static readonly JsonSerializerOptions CompactOptions = JsonFiles.Compact(Options);

    /// <summary>The report as one string; <paramref name="present"/>, when given, is applied to every string written.</summary>
    public static string Write(GateReport report, bool compact = false, Func<string, string>? present = null) =>
        JsonSerializer.Serialize(ToDocument(report, compact), PresentedStrings.With(compact ? CompactOptions : Options, present));

    /// <summary>Streams the full report to <paramref name="output"/>, the check's findings one at a time, each string presented.</summary>
    public static async Task WriteAsync(GateReport report, Stream output, Func<string, string>? present, CancellationToken cancellationToken) =>
        await JsonSerializer.SerializeAsync(output, ToDocument(report), PresentedStrings.With(Options, present), cancellationToken);

    public static object ToDocument(GateReport report, bool compact = false)
    {
        ArgumentNullException.ThrowIfNull(report);
        return new
        {
            command = report.Command,
            verdict = report.Verdict,
            incompleteReason = report.IncompleteReason,
            blockers = report.Blockers,
            startedAt = report.StartedAt,
            durationMs = (long)report.Duration.TotalMilliseconds,
            database = report.Database,
            storage = report.Storage,
            direction = report.Direction,
            current = Migration(report.Current),
            assumedVersion = report.AssumedVersion?.ToString(),
            target = report.TargetId,
            targetUpstreamOnly = report.TargetUpstreamOnly,
            pending = report.Pending.Select(Migration),
            check = report.Check is null ? null : Scan(report.Check, compact),
            checkSkipped = report.CheckSkipped,
            preconditions = report.Preconditions.Select(Precondition),
            migrationChecks = report.MigrationChecks.Select(c => new { name = c.Name, status = c.Status, message = c.Message, migration = c.MigrationId }),
            run = report.Run is not { } run ? null : new
            {
                executed = run.Executed.Select(m => m.Id),
                committed = run.Committed,
                stoppedAt = run.StoppedAt?.Id,
                preconditions = run.Preconditions.Where(p => p.Status != PreconditionStatus.Holds).Select(Precondition),
                newFindings = run.Difference?.New.Select(f => Finding(f, run.After)),
                resolvedFindings = run.Difference?.Resolved.Select(f => Finding(f, null)),
                newErrors = run.NewErrors.Count,
                after = run.After is null ? null : Scan(run.After, compact),
                current = Migration(run.Current),
            },
            recordedRunId = report.RecordedRunId,
            recordNote = report.RecordNote,
        };
    }

    private static object Scan(ScanReport report, bool compact) =>
        JsonReportWriter.ToDocument(report, compact ? CheckRunTable.Excerpt(Severity.Warning) : null);

    private static object? Migration(MigrationDescriptor? migration) =>
        migration is null ? null : new { id = migration.Id, origin = migration.Origin, description = migration.Description };

    private static object Finding(Finding f, ScanReport? report) => new
    {
        rule = f.Rule,
        severity = f.Severity,
        message = f.Message,
        fingerprint = f.Fingerprint,
        accepted = report?.Baseline is null ? (bool?)null : report.IsAccepted(f),
    };

    private static object Precondition(PreconditionResult p) => new
    {
        migration = p.Migration.Id,
        id = p.Precondition.Id,
        direction = p.Precondition.Direction,
        description = p.Precondition.Description,
        status = p.Status,
        offendingCount = p.Status == PreconditionStatus.Violated ? p.OffendingCount : (int?)null,
        rows = p.Status == PreconditionStatus.Violated
            ? p.Rows.Select(row => p.Columns.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => row[x.i], StringComparer.Ordinal))
            : null,
        remedy = p.Status == PreconditionStatus.Violated ? p.Precondition.Remedy : null,
        repairSql = p.Status == PreconditionStatus.Violated ? p.Precondition.RepairSql : null,
        note = p.Note,
    };
}
