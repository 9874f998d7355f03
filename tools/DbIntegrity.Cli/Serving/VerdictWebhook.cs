using System.Net;
using System.Net.Http.Json;
using DbIntegrity.Core.Reporting;
using DbIntegrity.Core.Reporting.Metrics;
using DbIntegrity.Core.Rules;

namespace DbIntegrity.Cli.Serving;

/// <summary>
/// Tells a Slack-compatible incoming webhook (<c>{"text": …}</c>) when the verdict of complete scans changes. The
/// payload holds the verdict, counts by rule and the database's <c>user@host/database</c>, never a password, key or the
/// webhook's own URL (which is a secret: it is never printed). Retries on network errors, 429 and 5xx with backoff.
/// </summary>
internal sealed class VerdictWebhook(Uri url, HttpClient client, Action<string> log, Func<string, string> redact)
{
    /// <summary>Waits before the 2nd, 3rd and 4th attempt.</summary>
    public IReadOnlyList<TimeSpan> Backoff { get; init; } = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(15)];

    public async Task<bool> NotifyAsync(ScanStatus before, ScanReport report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        var payload = new { text = redact(Text(before, report)) };
        for (var attempt = 0; ; attempt++)
        {
            string failure;
            try
            {
                using var response = await client.PostAsJsonAsync(url, payload, cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    log($"webhook told: verdict {CheckMetrics.Name(before)} -> {CheckMetrics.Name(report.Status)}");
                    return true;
                }

                failure = $"HTTP {(int)response.StatusCode}";
                if (response.StatusCode != HttpStatusCode.TooManyRequests && (int)response.StatusCode < 500)
                {
                    log($"webhook refused the message ({failure}); not retried: check the webhook URL.");
                    return false;
                }
            }
            catch (HttpRequestException ex)
            {
                failure = ex.HttpRequestError.ToString();
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                failure = "timeout";
            }

            if (attempt >= Backoff.Count)
            {
                log($"webhook not told after {attempt + 1} attempts (last: {failure}); the next change of verdict tries again.");
                return false;
            }

            await Task.Delay(Backoff[attempt], cancellationToken);
        }
    }

    /// <summary>The message: the change, the counts, the rules. Keys and row values are left out (they may be sensitive).</summary>
    internal static string Text(ScanStatus before, ScanReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var errors = report.CountsBySeverity.GetValueOrDefault(Severity.Error);
        var warnings = report.CountsBySeverity.GetValueOrDefault(Severity.Warning);
        var rules = report.Findings.Where(f => f.Severity >= Severity.Warning).CountBy(f => f.Rule, StringComparer.Ordinal)
            .OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key}: {c.Value}").ToList();
        var lines = new List<string>
        {
            $"dbintegrity: verdict changed from {CheckMetrics.Name(before)} to {CheckMetrics.Name(report.Status)} on {report.Database}",
            $"{errors} error and {warnings} warning finding(s), scan finished {(report.StartedAt + report.Duration).UtcDateTime:yyyy-MM-dd HH:mm:ss}Z",
        };
        if (rules.Count > 0)
        {
            lines.Add(string.Join(", ", rules));
        }

        return string.Join('\n', lines);
    }
}
