using System.Globalization;
using DbIntegrity.Core.Wording;

namespace DbIntegrity.Core.Migrating;

/// <summary>
/// Keeps <c>migrate down</c> (and the gate's down plan) away from migrations that <c>migrate baseline</c> recorded
/// without running. Their <c>Down()</c> undoes the schema our <c>Up()</c> builds, but the daemon's own AutoMigrate built
/// this one (a different shape in places, e.g. <c>plugin_readmes</c> on a fresh 0.5.2+ database does not exist), so
/// running it fails halfway or leaves a schema no release had.
/// </summary>
internal static class BaselineGuard
{
    /// <summary>Throws a <see cref="ConfigurationException"/> naming the baseline when <paramref name="revert"/> includes a migration it recorded.</summary>
    public static void EnsureRevertible(IReadOnlyList<MigrationDescriptor> revert, MigrationStatus status, string database)
    {
        ArgumentNullException.ThrowIfNull(revert);
        ArgumentNullException.ThrowIfNull(status);
        var recorded = status.Migrations.Where(m => m.Applied is { IsBaseline: true }).ToList();
        var blocked = revert.Where(m => recorded.Any(r => r.Migration.Id == m.Id)).ToList();
        if (blocked.Count == 0)
        {
            return;
        }

        var newest = recorded[^1];
        var when = newest.Applied!.AppliedOn is { } on ? $" on {on.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}" : string.Empty;
        var lowest = newest.Migration.Id.ToString(CultureInfo.InvariantCulture);
        throw new ConfigurationException(
            $"{database}: migration(s) {string.Join(", ", blocked.Select(m => m.Id.ToString(CultureInfo.InvariantCulture)))} were recorded by {HostWords.Of(NextStep.BaselineDatabase)}{when} "
            + $"(the database was adopted as {newest.Migration.Origin}), not run by dbintegrity: the daemon's AutoMigrate built that schema, and their Down() "
            + "undoes the schema dbintegrity's Up() builds, so reverting them could fail halfway or leave a schema no release had. Nothing was done. "
            + $"dbintegrity can revert only what it applied: the lowest target here is {HostWords.Of(UserOption.MigrationTarget)} {lowest}. To go further back, restore a backup taken before "
            + $"the upgrade, or revert the schema changes by hand, then run {HostWords.Of(NextStep.ShowMigrationStatus)}.");
    }

    /// <summary>
    /// Throws when an up run would create tables on a database the daemon made (no version table): creating tables that
    /// exist fails halfway, so the chain must first learn where the database stands. <paramref name="then"/> is what
    /// to run after the baseline.
    /// </summary>
    public static void EnsureVersionedForUp(bool anythingToApply, MigrationStatus status, DaemonVersion? looksLike, string database, NextStep then)
    {
        ArgumentNullException.ThrowIfNull(status);
        if (anythingToApply && status.Versioning == DatabaseVersioning.Unversioned)
        {
            var resembles = looksLike is null ? string.Empty : $" It looks like daemon {looksLike}.";
            throw new ConfigurationException(
                $"{database} already has daemon tables but no {VersionTable.Name} table: the daemon made it.{resembles} "
                + $"Run {HostWords.Of(NextStep.BaselineDatabase)} first to record its version, then {HostWords.Of(then)}.");
        }
    }
}
