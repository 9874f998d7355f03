using DbIntegrity.Core.Configuration;
using DbIntegrity.Core.Migrating;
using DbIntegrity.Core.Reporting;
using DbIntegrity.Core.Rules;
using DbIntegrity.Core.Scanning;
using DbIntegrity.Core.Storage;

namespace DbIntegrity.Core.Gate;

/// <summary>
/// The gate's part of <c>migrate up --gate</c>: each migration's preconditions right before it, inside the run's
/// transaction, and the integrity check inside that transaction before the commit, compared with the check before
/// the run. What they saw is kept for the report.
/// </summary>
internal sealed class GatedRunHooks(IObjectReader storage, StorageLayout layout, GateOptions options, ScanReport? before, IProgress<ScanProgress>? progress)
    : IGatedRunHooks
{
    private readonly List<PreconditionResult> _preconditions = [];

    public IReadOnlyList<PreconditionResult> Preconditions => _preconditions;

    public ScanReport? After { get; private set; }

    public FindingDiff? Difference { get; private set; }

    public IReadOnlyList<Finding> NewErrors { get; private set; } = [];

    public async Task<bool> BeforeEachAsync(MigrationDescriptor migration, RunTransaction transaction, CancellationToken cancellationToken)
    {
        var results = await PreconditionEvaluator.EvaluateAsync([migration], MigrationDirection.Up, transaction.Connection, transaction.Transaction, cancellationToken);
        _preconditions.AddRange(results);
        return results.All(r => r.Status is PreconditionStatus.Holds or PreconditionStatus.NotApplicable);
    }

    public async Task<bool> BeforeCommitAsync(IReadOnlyList<MigrationDescriptor> executed, RunTransaction transaction, CancellationToken cancellationToken)
    {
        progress?.Report(new ScanProgress("checking again inside the migration transaction", 0));
        var after = await IntegrityScanner.ScanWithinAsync(transaction.Connection, transaction.Transaction, storage, layout, options.Scan, progress, cancellationToken);
        if (options.Baseline is not null)
        {
            after = options.Baseline.Apply(after);
        }

        After = after;
        if (after.Status == ScanStatus.Incomplete)
        {
            return false;
        }

        Difference = FindingDiff.Between(before?.Findings ?? BucketOnly(after.Findings), after.Findings);
        NewErrors = [.. Difference.New.Where(f => f.Severity == Severity.Error && !after.IsAccepted(f))];
        return NewErrors.Count == 0;
    }

    /// <summary>
    /// With no check before the run (the database had no daemon tables, so nothing could be checked), the baseline to
    /// compare with is what the bucket alone shows: a finding that names no database row (junk under the installed
    /// prefix, an object no row references) was there before the migrations created the tables empty, so it is
    /// pre-existing, not new. Findings about rows are new: before the run there were none.
    /// </summary>
    private static IReadOnlyList<Finding> BucketOnly(IReadOnlyList<Finding> findings) =>
        [.. findings.Where(f => f.Table is null && f.RowId is null)];
}
