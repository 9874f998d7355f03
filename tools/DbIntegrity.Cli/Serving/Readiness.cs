using System.Globalization;

namespace DbIntegrity.Cli.Serving;

/// <summary><c>/readyz</c>: a complete scan within --ready-window, and fewer than --unready-after failed scans in a row.</summary>
internal static class Readiness
{
    public static (bool Ready, string Why) Evaluate(ServeSnapshot snapshot, ServeOptions options, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(options);
        if (snapshot.ConsecutiveFailures >= options.UnreadyAfter)
        {
            return (false, string.Create(CultureInfo.InvariantCulture, $"not ready: {snapshot.ConsecutiveFailures} scans in a row did not complete (--unready-after {options.UnreadyAfter}); latest: {snapshot.FailureReason}"));
        }

        if (snapshot.LastCompleteAt is not { } last)
        {
            return (false, snapshot.FailureReason is { } reason ? $"not ready: no scan has completed yet; latest: {reason}" : "not ready: the first scan has not finished yet");
        }

        if (now - last > options.ReadyWindow)
        {
            return (false, string.Create(CultureInfo.InvariantCulture, $"not ready: no scan completed within --ready-window {options.ReadyWindow} (last: {last.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z)"));
        }

        return (true, string.Create(CultureInfo.InvariantCulture, $"ready: last complete scan {last.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z, {CheckName(snapshot)}"));
    }

    private static string CheckName(ServeSnapshot snapshot) => snapshot.LastComplete!.Status.ToString().ToLowerInvariant();
}
