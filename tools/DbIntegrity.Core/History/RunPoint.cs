using DbIntegrity.Core.Reporting;
using DbIntegrity.Core.Rules;

namespace DbIntegrity.Core.History;

/// <summary>One scan in the run history: when it ended, its status and its error and warning counts (null when incomplete).</summary>
public sealed record RunPoint(DateTimeOffset FinishedAt, ScanStatus Status, int? Errors, int? Warnings)
{
    public static RunPoint From(ScanReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var complete = report.Status != ScanStatus.Incomplete;
        return new RunPoint(
            report.StartedAt + report.Duration,
            report.Status,
            complete ? report.CountsBySeverity.GetValueOrDefault(Severity.Error) : null,
            complete ? report.CountsBySeverity.GetValueOrDefault(Severity.Warning) : null);
    }
}
