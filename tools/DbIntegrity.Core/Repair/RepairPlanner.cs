using DbIntegrity.Core.Reporting;
using DbIntegrity.Core.Rules;

namespace DbIntegrity.Core.Repair;

/// <summary>
/// Turns a scan's findings into a plan: for each error finding the smallest fix that does not itself create a broken
/// reference, or a manual item with the reason. Nothing is written; the facts each fix rests on are recorded so that
/// <see cref="RepairApplier"/> can refuse a plan the data has moved away from.
/// </summary>
internal static class RepairPlanner
{
    private static readonly HashSet<string> RepairableWarnings = new(StringComparer.Ordinal) { RuleIds.InstalledKeyWithoutPluginRow };

    public static async Task<RepairPlan> PlanAsync(ScanReport report, IRepairState state, RepairTarget target, RepairPlanOptions options, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (report.Status == ScanStatus.Incomplete)
        {
            throw new InvalidOperationException("A plan needs a complete scan.");
        }

        var plan = new PlanBuilder(state, options);
        var findings = report.Findings
            .Where(f => f.Severity == Severity.Error || (options.IncludeWarnings && f.Severity == Severity.Warning))
            .ToList();

        // Order matters: verified copies are found first, packages are restored before the markers that need them,
        // installations are removed before refers are counted, and plugin ids last (they may join a refers update).
        await ObjectRepairs.FindVerifiedMangledKeysAsync(plan, findings, cancellationToken);
        await ObjectRepairs.PlanPackagesAsync(plan, findings, cancellationToken);
        await ObjectRepairs.PlanInvalidKeysAsync(plan, findings, cancellationToken);
        await MarkerRepairs.PlanMarkersAsync(plan, findings, cancellationToken);
        await DeclarationRepairs.PlanInvalidAsync(plan, findings, cancellationToken);
        await InstallationRepairs.PlanDuplicatesAsync(plan, findings, cancellationToken);
        await PluginRowRepairs.PlanDuplicatesAsync(plan, findings, cancellationToken);
        await PluginRowRepairs.PlanRefersAsync(plan, findings, cancellationToken);
        await InstallationRepairs.PlanOrphanCategoryRowsAsync(plan, findings, cancellationToken);
        await InstallationRepairs.PlanMissingCategoryRowsAsync(plan, findings, cancellationToken);
        await PluginRowRepairs.PlanPluginIdsAsync(plan, findings, cancellationToken);
        await MarkerRepairs.PlanStrayMarkersAsync(plan, findings, cancellationToken);

        foreach (var finding in findings.Where(f => !plan.IsHandled(f)))
        {
            if (finding.Severity == Severity.Error || RepairableWarnings.Contains(finding.Rule) || finding.Rule == RuleIds.AssetMissing)
            {
                plan.ToManual(finding, ManualReasons.For(finding.Rule));
            }
        }

        // Info findings are harmless orphans (docs/daemon/rules.md#harmless-orphans) and are never repaired; warnings only with IncludeWarnings.
        var notRepaired = report.CountsByRule
            .Where(kv => kv.Value > 0 && SeverityOf(report, kv.Key) is { } severity && (severity == Severity.Info || (severity == Severity.Warning && !options.IncludeWarnings)))
            .ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);

        return new RepairPlan
        {
            CreatedAt = now,
            Target = target,
            Scan = new PlanScanSummary
            {
                Errors = report.CountsBySeverity.GetValueOrDefault(Severity.Error),
                Warnings = report.CountsBySeverity.GetValueOrDefault(Severity.Warning),
                Info = report.CountsBySeverity.GetValueOrDefault(Severity.Info),
                GraceSeconds = (long)report.Grace.TotalSeconds,
                Deep = report.Deep,
                RulesRun = report.RulesRun,
            },
            Fixes = [.. plan.Fixes.Select(f => f.Build())],
            Manual = [.. plan.Manual],
            NotRepaired = new SortedDictionary<string, int>(notRepaired, StringComparer.Ordinal),
        };
    }

    private static Severity? SeverityOf(ScanReport report, string rule) =>
        Rules.RuleCatalog.Descriptors.FirstOrDefault(d => d.Id == rule)?.Severity ?? report.Findings.FirstOrDefault(f => f.Rule == rule)?.Severity;
}
