using System.Text.Json;
using System.Text.Json.Serialization;
using DbIntegrity.Core.Json;
using DbIntegrity.Core.Rules;

namespace DbIntegrity.Core.Reporting;

/// <summary>
/// The JSON report: <c>status</c>, <c>findings[]</c> and <c>summary</c>. Field names are a public contract (CI jobs
/// parse them); null fields are left out.
/// </summary>
public static class JsonReportWriter
{
    private static readonly JsonSerializerOptions Options = JsonFiles.Options(o => o.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull);

    public static async Task WriteAsync(ScanReport report, Stream output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        await JsonSerializer.SerializeAsync(output, ToDocument(report), Options, cancellationToken);
    }

    public static string Write(ScanReport report) => JsonSerializer.Serialize(ToDocument(report), Options);

    /// <summary>The shape of the JSON report, for writers that embed it (the gate adds its own sections).</summary>
    public static object ToDocument(ScanReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return new
        {
            status = report.Status,
            incompleteReason = report.IncompleteReason,
            startedAt = report.StartedAt,
            durationMs = (long)report.Duration.TotalMilliseconds,
            database = report.Database,
            storage = report.Storage,
            deep = report.Deep,
            graceSeconds = (long)report.Grace.TotalSeconds,
            findings = report.Findings.Select(f => new
            {
                rule = f.Rule,
                severity = f.Severity,
                message = f.Message,
                table = f.Table,
                rowId = f.RowId,
                identifier = f.Identifier,
                objectKey = f.ObjectKey,
                tenantId = f.TenantId,
                pluginId = f.PluginId,
                details = f.Details,
                accepted = report.Baseline is null ? (bool?)null : report.IsAccepted(f),
            }),
            baseline = report.Baseline is not { } baseline ? null : new
            {
                file = baseline.File,
                accepted = baseline.Accepted.Count,
                blockingErrors = report.BlockingErrors,
                @fixed = baseline.Fixed.Select(e => new { fingerprint = e.Fingerprint, rule = e.Rule, severity = e.Severity, message = e.Message }),
                notChecked = baseline.NotChecked.Count,
            },
            summary = new
            {
                bySeverity = new
                {
                    error = report.CountsBySeverity.GetValueOrDefault(Severity.Error),
                    warning = report.CountsBySeverity.GetValueOrDefault(Severity.Warning),
                    info = report.CountsBySeverity.GetValueOrDefault(Severity.Info),
                },
                byRule = report.CountsByRule,
                inFlight = report.InFlight,
                unconfirmed = report.Unconfirmed,
                notListed = report.NotListed,
                rulesRun = report.RulesRun,
                rulesSkipped = report.RulesSkipped.Select(s => new { rule = s.Rule, reason = s.Reason }),
                scanned = report.Scanned,
            },
        };
    }
}
