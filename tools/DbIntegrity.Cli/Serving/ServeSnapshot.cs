using DbIntegrity.Core.History;
using DbIntegrity.Core.Reporting;

namespace DbIntegrity.Cli.Serving;

/// <summary>What serve knows after its latest scan; immutable, swapped whole so that a page never sees half an update.</summary>
internal sealed record ServeSnapshot
{
    public static ServeSnapshot Empty { get; } = new();

    /// <summary>The latest scan, complete or not.</summary>
    public ScanReport? Latest { get; init; }

    /// <summary>The latest complete scan: what the page shows, marked stale when later scans failed.</summary>
    public ScanReport? LastComplete { get; init; }

    /// <summary>Scans in a row that did not complete (reset by a complete one).</summary>
    public int ConsecutiveFailures { get; init; }

    /// <summary>Why the latest scan did not complete, redacted; null when it did.</summary>
    public string? FailureReason { get; init; }

    public long ScansCompleted { get; init; }

    public long ScansFailed { get; init; }

    public IReadOnlyList<RunPoint> History { get; init; } = [];

    /// <summary>Where the history is kept, in words for the page ("table dbintegrity_check_runs" or "memory: why").</summary>
    public string HistorySource { get; init; } = "memory";

    public bool Stale => LastComplete is not null && ConsecutiveFailures > 0;

    public DateTimeOffset? LastCompleteAt => LastComplete is { } r ? r.StartedAt + r.Duration : null;
}
