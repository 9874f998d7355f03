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
    private static readonly JsonSerializerOptions CompactOptions = JsonFiles.Compact(Options);

    /// <summary>
    /// Streams the report to <paramref name="output"/>: the findings are read one at a time (a spilled list stays on
    /// disk) and the serializer flushes as it goes, so memory does not grow with the number of findings.
    /// <paramref name="present"/>, when given, is applied to every string as it is written (the host's words, redaction).
    /// </summary>
    public static async Task WriteAsync(ScanReport report, Stream output, Func<string, string>? present, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        await JsonSerializer.SerializeAsync(output, ToDocument(report), PresentedStrings.With(Options, present), cancellationToken);
    }

    /// <summary>The whole report as one string: for small reports and tests; a report of any size is streamed with <see cref="WriteAsync(ScanReport, Stream, Func{string, string}?, CancellationToken)"/>.</summary>
    public static string Write(ScanReport report, Func<string, string>? present = null) => JsonSerializer.Serialize(ToDocument(report), PresentedStrings.With(Options, present));

    /// <summary>The report on one line with only an excerpt of its findings (what a row of the run history stores).</summary>
    internal static string Write(ScanReport report, FindingsExcerpt excerpt, Func<string, string>? present) =>
        JsonSerializer.Serialize(ToDocument(report, excerpt), PresentedStrings.With(CompactOptions, present));

    /// <summary>The shape of the JSON report, for writers that embed it (the gate adds its own sections).</summary>
    public static object ToDocument(ScanReport report) => ToDocument(report, null);

    /// <summary>
    /// The JSON report; with an <paramref name="excerpt"/>, its findings cut to the first few of the report's order (most
    /// severe first) and a <c>findingsLeftOut</c> object saying how many more there are and where they are listed.
    /// </summary>
    internal static object ToDocument(ScanReport report, FindingsExcerpt? excerpt)
    {
        ArgumentNullException.ThrowIfNull(report);
        var kept = excerpt is null ? report.Findings : report.Findings.Where(f => f.Severity >= excerpt.Minimum);
        var leftOut = excerpt is null ? 0 : Math.Max(0, kept.Count() - excerpt.Max);
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
            findings = (excerpt is null ? kept : kept.Take(excerpt.Max)).Select(f => new
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
            findingsLeftOut = leftOut == 0 ? null : new { count = leftOut, reason = excerpt!.Reason },
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
