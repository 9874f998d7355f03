using System.Net;

namespace DbIntegrity.Cli.Serving;

/// <summary>How <c>dbintegrity serve</c> runs: where it listens, how often it scans and when it stops being ready.</summary>
internal sealed record ServeOptions
{
    public required IPEndPoint Listen { get; init; }

    public required TimeSpan Interval { get; init; }

    /// <summary>Each wait is the interval plus a random part of this, so that replicas and restarts do not scan in step.</summary>
    public TimeSpan Jitter { get; init; }

    /// <summary><c>/readyz</c> fails after this many scans in a row did not complete.</summary>
    public int UnreadyAfter { get; init; } = 3;

    /// <summary><c>/readyz</c> fails when no scan completed within this window (first one included).</summary>
    public required TimeSpan ReadyWindow { get; init; }

    /// <summary>Runs the chart shows.</summary>
    public int HistorySize { get; init; } = 50;

    /// <summary>Write the history to dbintegrity_check_runs when the role may.</summary>
    public bool Record { get; init; } = true;

    /// <summary>Slack-compatible incoming webhook, told when the verdict changes. A secret: never printed.</summary>
    public Uri? Webhook { get; init; }
}
