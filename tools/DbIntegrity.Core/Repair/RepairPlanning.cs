using DbIntegrity.Core.Deployments;
using DbIntegrity.Core.Reporting;
using DbIntegrity.Core.Scanning;
using DbIntegrity.Core.Storage;
using Npgsql;

namespace DbIntegrity.Core.Repair;

/// <summary>
/// <c>repair plan</c>: a full check, then the plan, read-only throughout (SELECT, ListBucket and GetObject, the same as
/// a check; see docs/least-privilege.md). An incomplete scan gives no plan: a fix needs a verdict to rest on.
/// </summary>
public static class RepairPlanning
{
    /// <summary>The scan, and the plan when the scan completed.</summary>
    public sealed record Result(ScanReport Scan, RepairPlan? Plan);

    public static async Task<Result> PlanAsync(
        DeploymentReader deployment, Func<string, IObjectReader> otherBucket, RepairTarget target, ScanOptions scanOptions,
        RepairPlanOptions options, IProgress<ScanProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(deployment);
        var scan = await IntegrityScanner.ScanAsync(deployment, scanOptions, progress, cancellationToken);
        if (scan.Status == ScanStatus.Incomplete)
        {
            return new Result(scan, null);
        }

        progress?.Report(new ScanProgress("planning repairs", scan.Findings.Count));
        try
        {
            await using var state = await DatabaseRepairState.OpenAsync(deployment, otherBucket, options.Backups, cancellationToken);
            return new Result(scan, await RepairPlanner.PlanAsync(scan, state, target, options, DateTimeOffset.UtcNow, cancellationToken));
        }
        catch (NpgsqlException ex)
        {
            throw new UnavailableException("database", IntegrityScanner.DatabaseFailure(ex), ex);
        }
    }
}
