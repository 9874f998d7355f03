using System.Globalization;
using System.Net;
using System.Text;
using DbIntegrity.Core.Plugins;
using DbIntegrity.Core.Reporting;
using DbIntegrity.Core.Rules;

namespace DbIntegrity.Cli.Serving;

/// <summary>
/// The status page, rendered on the server with no script and no external asset: the verdict, counts by rule with the
/// rule's explanation, the affected plugins and tenants, and the history chart. While scans fail it shows the last
/// complete report, marked stale, and why the latest scan failed. The caller redacts the result.
/// </summary>
internal static class StatusPage
{
    public static string Render(ServeSnapshot snapshot, ServeOptions options, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(options);
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>dbintegrity</title>");
        html.Append(CultureInfo.InvariantCulture, $"<meta http-equiv=\"refresh\" content=\"{Math.Clamp((int)options.Interval.TotalSeconds, 5, 300)}\">");
        html.Append("<style>body{font-family:system-ui,sans-serif;margin:2em;max-width:70em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3em .6em;text-align:left;vertical-align:top}")
            .Append(".verdict{font-size:1.6em;padding:.4em .8em;display:inline-block;border-radius:.3em}.consistent{background:#e8f5e9}.inconsistent{background:#ffebee}.incomplete,.none{background:#eee}")
            .Append(".stale{background:#fff8e1;border:1px solid #f9a825;padding:.6em;margin:1em 0}.muted{color:#666}</style></head><body>");
        html.Append("<h1>dbintegrity</h1>");

        var report = snapshot.LastComplete;
        if (report is null)
        {
            var reason = snapshot.FailureReason is { } r ? $" The latest scan did not complete: {r}" : " The first scan is running.";
            html.Append("<p id=\"verdict\" class=\"verdict none\" data-status=\"none\">no verdict yet</p>");
            html.Append(CultureInfo.InvariantCulture, $"<p class=\"muted\">{Encode(reason)}</p>");
        }
        else
        {
            var status = CheckName(report.Status);
            html.Append(CultureInfo.InvariantCulture, $"<p id=\"verdict\" class=\"verdict {status}\" data-status=\"{status}\" data-stale=\"{(snapshot.Stale ? "true" : "false")}\">{status}{(snapshot.Stale ? " (stale)" : "")}</p>");
            if (snapshot.Stale)
            {
                html.Append(CultureInfo.InvariantCulture, $"<div id=\"stale\" class=\"stale\"><strong>Stale.</strong> The last {snapshot.ConsecutiveFailures} scan(s) did not complete; this is the report of the last complete scan, finished {Time(snapshot.LastCompleteAt!.Value)}. Latest failure: {Encode(snapshot.FailureReason ?? "")}</div>");
            }

            Summary(html, report, now);
            Rules(html, report);
            Affected(html, report);
        }

        html.Append("<h2>Last runs</h2>");
        html.Append(HistoryChart.Render(snapshot.History));
        html.Append(CultureInfo.InvariantCulture, $"<p id=\"history-source\" class=\"muted\">History: {Encode(snapshot.HistorySource)}. Red: error findings, amber: warnings, grey: a scan that did not complete.</p>");
        html.Append(CultureInfo.InvariantCulture, $"<p class=\"muted\">Scans every {options.Interval} (+ up to {options.Jitter} jitter); {snapshot.ScansCompleted} complete, {snapshot.ScansFailed} failed since start. ")
            .Append("<a href=\"/api/report\">JSON report</a> · <a href=\"/metrics\">metrics</a> · <a href=\"/readyz\">readyz</a></p>");
        return html.Append("</body></html>").ToString();
    }

    private static void Summary(StringBuilder html, ScanReport report, DateTimeOffset now)
    {
        html.Append(CultureInfo.InvariantCulture, $"<p>Scan of <code>{Encode(report.Database)}</code> and <code>{Encode(report.Storage)}</code> finished {Time(report.StartedAt + report.Duration)} ({(now - (report.StartedAt + report.Duration)).TotalMinutes:0} min ago) in {report.Duration.TotalSeconds:0.0} s: ")
            .Append(CultureInfo.InvariantCulture, $"{report.CountsBySeverity.GetValueOrDefault(Severity.Error)} error, {report.CountsBySeverity.GetValueOrDefault(Severity.Warning)} warning, {report.CountsBySeverity.GetValueOrDefault(Severity.Info)} info finding(s); {report.InFlight} in flight.</p>");
        if (report.Baseline is { } baseline)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p>Baseline {Encode(baseline.File)}: {baseline.Accepted.Count} accepted, {report.BlockingErrors} blocking error(s).</p>");
        }
    }

    private static void Rules(StringBuilder html, ScanReport report)
    {
        var descriptors = RuleCatalog.Descriptors.ToDictionary(d => d.Id, StringComparer.Ordinal);
        var counted = report.CountsByRule.Where(c => c.Value > 0).OrderByDescending(c => descriptors.GetValueOrDefault(c.Key)?.Severity).ThenBy(c => c.Key, StringComparer.Ordinal).ToList();
        html.Append("<h2>Findings by rule</h2>");
        if (counted.Count == 0)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p id=\"rules\" class=\"muted\">No findings from the {report.RulesRun.Count} rule(s) that ran.</p>");
            return;
        }

        html.Append("<table id=\"rules\"><tr><th>Rule</th><th>Severity</th><th>Findings</th><th>What it means</th></tr>");
        foreach (var (rule, count) in counted)
        {
            var descriptor = descriptors.GetValueOrDefault(rule);
            html.Append(CultureInfo.InvariantCulture, $"<tr class=\"rule\" data-rule=\"{Encode(rule)}\"><td><code>{Encode(rule)}</code></td><td>{(descriptor is null ? "" : descriptor.Severity.ToString().ToLowerInvariant())}</td><td>{count}</td><td>{Encode(descriptor?.Summary ?? "")}</td></tr>");
        }

        html.Append("</table>");
    }

    private static void Affected(StringBuilder html, ScanReport report)
    {
        // Counted, not grouped: a lost prefix is 10⁵ findings, read from disk one at a time; only the counts are kept.
        var problems = report.Findings.Where(f => f.Severity >= Severity.Warning);
        var plugins = Ranked(problems.Select(PluginOf));
        var tenants = Ranked(problems.Select(f => f.TenantId));
        html.Append("<h2>Affected plugins and tenants</h2>");
        if (plugins.Count == 0 && tenants.Count == 0)
        {
            html.Append("<p class=\"muted\">None named by an error or warning finding.</p>");
            return;
        }

        html.Append("<table id=\"affected\"><tr><th>Plugin</th><th>Findings</th></tr>");
        foreach (var plugin in plugins.Take(50))
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td><code>{Encode(plugin.Key)}</code></td><td>{plugin.Value}</td></tr>");
        }

        html.Append("</table>");
        if (tenants.Count == 0)
        {
            html.Append("<p id=\"tenants\" class=\"muted\">No error or warning finding names a tenant.</p>");
            return;
        }

        html.Append("<table id=\"tenants\"><tr><th>Tenant</th><th>Findings</th></tr>");
        foreach (var tenant in tenants.Take(50))
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td><code>{Encode(tenant.Key)}</code></td><td>{tenant.Value}</td></tr>");
        }

        html.Append("</table>");
    }

    /// <summary>How often each name occurs, most first.</summary>
    private static List<KeyValuePair<string, int>> Ranked(IEnumerable<string?> names) =>
        [.. names.OfType<string>().CountBy(name => name, StringComparer.Ordinal).OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal)];

    /// <summary>The finding's plugin, or the plugin its identifier names (most rules locate a finding by identifier only).</summary>
    private static string? PluginOf(Finding finding) =>
        finding.PluginId ?? (PluginUniqueIdentifier.TryParse(finding.Identifier, out var identifier) ? identifier.PluginId : null);

    private static string CheckName(ScanStatus status) => status.ToString().ToLowerInvariant();

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
