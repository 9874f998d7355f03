using DbIntegrity.Core.Migrating;
using DbIntegrity.Core.Wording;
using DbIntegrity.Migrations.Preconditions;

namespace DbIntegrity.Core.Gate;

/// <summary>
/// Which migrations lie between a database and the gate's target, and the status of every precondition of the chain
/// relative to that plan.
/// </summary>
internal static class GatePlanner
{
    /// <summary>
    /// Up: every migration not applied up to the target. Down (only when <paramref name="allowDown"/> and the target
    /// is below the newest applied migration it addresses): the applied ones above it, newest first. A daemon-version
    /// target addresses the upstream chain only (<see cref="MigrationTarget"/>), exactly as <c>migrate up|down --to</c>
    /// does, so <c>--to 0.5.4</c> on a database at latest plans nothing rather than reverting the operator migrations. A
    /// database the daemon made itself counts the migrations of the release it looks like as applied, as a baseline
    /// would record them.
    /// </summary>
    public static GatePlan Plan(MigrationCatalog catalog, MigrationStatus status, string? target, bool allowDown, string database)
    {
        var resolved = target?.Trim() == "0" && allowDown ? new MigrationTarget(0, UpstreamOnly: false) : catalog.Target(target, MigrationDirection.Up);
        var targetId = resolved.Id;
        DaemonVersion? assumed = null;
        HashSet<long> applied = [.. status.Migrations.Where(m => m.IsApplied).Select(m => m.Migration.Id)];
        if (status.Versioning == DatabaseVersioning.Unversioned)
        {
            assumed = status.Recognition?.Version;
            applied = [.. catalog.Upstream.Where(m => assumed is not null && m.DaemonVersion! <= assumed).Select(m => m.Id)];
        }

        var currentId = applied.Where(id => resolved.Addresses(catalog.Find(id)!)).DefaultIfEmpty(0).Max();
        if (allowDown && targetId < currentId)
        {
            if (status.Versioning != DatabaseVersioning.Versioned)
            {
                throw new ConfigurationException(
                    $"{database} is not versioned, so there is nothing to revert. Run {HostWords.Of(NextStep.BaselineDatabase)} first to record its version.");
            }

            var revert = resolved.Plan(MigrationDirection.Down, status.Migrations);
            BaselineGuard.EnsureRevertible(revert, status, database);
            return new GatePlan(MigrationDirection.Down, targetId, revert, assumed) { UpstreamOnly = resolved.UpstreamOnly };
        }

        var pending = catalog.Migrations.Where(m => !applied.Contains(m.Id) && m.Id <= targetId && resolved.Addresses(m)).ToList();
        if (!allowDown)
        {
            BaselineGuard.EnsureVersionedForUp(pending.Count > 0, status, assumed, database, NextStep.MigrateUpGated);
        }

        return new GatePlan(MigrationDirection.Up, targetId, pending, assumed) { UpstreamOnly = resolved.UpstreamOnly };
    }

    /// <summary>
    /// Every precondition of the chain, in chain order, so that reports (and CI's JUnit view) always list the same
    /// cases: the evaluated ones, and the others marked not due with the reason.
    /// </summary>
    public static IReadOnlyList<PreconditionResult> WithNotDue(
        MigrationCatalog catalog, IReadOnlyList<PreconditionResult> evaluated, GatePlan plan, MigrationStatus status, bool evaluatedAll)
    {
        var byName = evaluated.ToDictionary(r => r.Name, StringComparer.Ordinal);
        var inPlan = plan.Migrations.Select(m => m.Id).ToHashSet();
        var applied = status.Migrations.Where(m => m.IsApplied).Select(m => m.Migration.Id).ToHashSet();
        var direction = plan.Direction == MigrationDirection.Up ? PreconditionDirection.Up : PreconditionDirection.Down;
        var all = new List<PreconditionResult>();
        foreach (var migration in catalog.Migrations)
        {
            foreach (var precondition in migration.Preconditions)
            {
                if (byName.TryGetValue($"{migration.Id} {precondition.Id}", out var result))
                {
                    all.Add(result);
                    continue;
                }

                var note = !evaluatedAll ? "not evaluated: the database failed first."
                    : precondition.Direction != direction
                        ? $"it guards {(precondition.Direction == PreconditionDirection.Down ? "reverting" : "applying")} the migration, and this gate plans the other way."
                    : inPlan.Contains(migration.Id) ? "not evaluated."
                    : plan.Direction == MigrationDirection.Up && (applied.Contains(migration.Id) || (plan.AssumedVersion is { } v && migration.DaemonVersion is { } d && d <= v))
                        ? "its migration is already applied."
                        : "its migration is not between the database and the target.";
                all.Add(new PreconditionResult { Migration = migration, Precondition = precondition, Status = PreconditionStatus.NotDue, Note = note });
            }
        }

        return all;
    }
}
