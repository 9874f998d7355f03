using System.Globalization;
using DbIntegrity.Core.Migrating;
using DbIntegrity.Core.Wording;

namespace DbIntegrity.Core.Gate;

/// <summary>
/// Validates the applied migrations against this build, as Flyway's and Atlas's validate do (FluentMigrator has no
/// such check): every applied id is known, no pending migration sits below an applied one of its own range (upstream
/// or operator), and the SQL each applied migration ran (its checksum, recorded by <c>migrate up</c>) is the SQL this
/// build generates for it.
/// </summary>
internal static class AppliedMigrationValidator
{
    public const string KnownName = "applied migrations are known to this build";

    public const string InOrderName = "applied migrations are in order";

    public static IReadOnlyList<MigrationCheck> Validate(
        MigrationStatus status, IReadOnlyDictionary<long, StoredChecksum>? stored, IReadOnlyDictionary<long, MigrationChecksum> current)
    {
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(current);
        if (status.Versioning != DatabaseVersioning.Versioned)
        {
            var reason = status.Versioning == DatabaseVersioning.Empty
                ? "the database has no applied migration yet."
                : $"the database is not versioned (the daemon made it); {HostWords.Of(NextStep.BaselineDatabase)} records its version.";
            return [new MigrationCheck(KnownName, MigrationCheckStatus.Skipped, reason), new MigrationCheck(InOrderName, MigrationCheckStatus.Skipped, reason)];
        }

        var checks = new List<MigrationCheck>
        {
            status.UnknownApplied.Count == 0
                ? new MigrationCheck(KnownName, MigrationCheckStatus.Passed, "every applied migration is part of this build's chain.")
                : new MigrationCheck(KnownName, MigrationCheckStatus.Failed,
                    $"applied migration(s) {Ids(status.UnknownApplied.Select(a => a.Id))} are not part of this build: a newer dbintegrity applied them, or they "
                    + $"were removed from the chain. Use the dbintegrity release that applied them ({HostWords.Of(NextStep.ShowMigrationStatus)} lists them), or revert them with it."),
        };

        // Upstream ids (daemon releases) and operator ids (>= 1000000000) are two chains: a migration of the next daemon
        // release sorts below every operator migration yet is not out of order, so each range is ordered on its own.
        var outOfOrder = status.Migrations.GroupBy(m => m.Migration.IsOperator).Select(OutOfOrder).OfType<string>().ToList();
        checks.Add(outOfOrder.Count == 0
            ? new MigrationCheck(InOrderName, MigrationCheckStatus.Passed, "no pending migration sits below an applied one of its range (upstream or operator).")
            : new MigrationCheck(InOrderName, MigrationCheckStatus.Failed, string.Join(" ", outOfOrder)));

        foreach (var state in status.Migrations.Where(m => m.IsApplied))
        {
            checks.Add(Unchanged(state, stored, current));
        }

        return checks;
    }

    private static string? OutOfOrder(IGrouping<bool, MigrationState> range)
    {
        var newestApplied = range.Where(m => m.IsApplied).Select(m => m.Migration.Id).DefaultIfEmpty(0).Max();
        var skipped = range.Where(m => !m.IsApplied && m.Migration.Id < newestApplied).Select(m => m.Migration.Id).ToList();
        if (skipped.Count == 0)
        {
            return null;
        }

        var newest = newestApplied.ToString(CultureInfo.InvariantCulture);
        var kind = range.Key ? "operator" : "upstream";
        return $"{kind} migration(s) {Ids(skipped)} are pending but {newest} is already applied: they were inserted into the chain below migrations that ran, "
            + $"so applying them now would run them out of order. Give them {kind} ids above {newest} instead.";
    }

    private static MigrationCheck Unchanged(MigrationState state, IReadOnlyDictionary<long, StoredChecksum>? stored, IReadOnlyDictionary<long, MigrationChecksum> current)
    {
        var migration = state.Migration;
        var name = $"migration {migration.Id.ToString(CultureInfo.InvariantCulture)} is unchanged since it was applied";
        if (stored is null)
        {
            return new MigrationCheck(name, MigrationCheckStatus.Skipped,
                $"this database has no {MigrationChecksums.Table} table: its migrations were applied by a dbintegrity that did not record checksums "
                + $"(or recorded by {HostWords.Of(NextStep.BaselineDatabase)}), so there is nothing to compare.", migration.Id);
        }

        if (!stored.TryGetValue(migration.Id, out var recorded))
        {
            var why = state.Applied!.IsBaseline
                ? $"it was recorded by {HostWords.Of(NextStep.BaselineDatabase)}, not run, so there is no SQL to compare."
                : "it was applied before dbintegrity recorded checksums (or recorded by hand), so there is nothing to compare.";
            return new MigrationCheck(name, MigrationCheckStatus.Skipped, why, migration.Id);
        }

        var now = current[migration.Id];
        var upMatches = string.Equals(now.Sha256, recorded.Checksum.Sha256, StringComparison.Ordinal);
        if (upMatches && (recorded.Checksum.DownSha256 is null || string.Equals(now.DownSha256, recorded.Checksum.DownSha256, StringComparison.Ordinal)))
        {
            var down = recorded.Checksum.DownSha256 is null ? " (no Down() checksum was recorded for it)" : ", and so does its Down()'s";
            return new MigrationCheck(name, MigrationCheckStatus.Passed, $"checksum {Short(now.Sha256)} matches{down}.", migration.Id);
        }

        if (upMatches)
        {
            return new MigrationCheck(name, MigrationCheckStatus.Failed,
                $"migration {migration.Id.ToString(CultureInfo.InvariantCulture)} ({migration.Type.Name}) had its Down() edited after it was applied: when it was "
                + $"applied on {recorded.RecordedAt.ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture)} its Down() generated SQL with checksum "
                + $"{Short(recorded.Checksum.DownSha256!)}, and this build generates {Short(now.DownSha256 ?? string.Empty)}, so migrate down would no longer undo what it ran. "
                + $"Undo the edit (compare with: {HostWords.Of(NextStep.PreviewMigrateDown)}).",
                migration.Id);
        }

        return new MigrationCheck(name, MigrationCheckStatus.Failed,
            $"migration {migration.Id.ToString(CultureInfo.InvariantCulture)} ({migration.Type.Name}) was edited after it was applied: on "
            + $"{recorded.RecordedAt.ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture)} it ran {recorded.Checksum.Statements.ToString(CultureInfo.InvariantCulture)} "
            + $"statement(s) with checksum {Short(recorded.Checksum.Sha256)} (dbintegrity {recorded.ToolVersion ?? "unknown"}), and this build generates "
            + $"{now.Statements.ToString(CultureInfo.InvariantCulture)} with checksum {Short(now.Sha256)}. This database does not have the schema the edited "
            + $"migration describes. Undo the edit and put the change in a new migration (compare with: {HostWords.Of(NextStep.PreviewMigrateUp)} on a scratch database).",
            migration.Id);
    }

    private static string Ids(IEnumerable<long> ids) => string.Join(", ", ids.Select(id => id.ToString(CultureInfo.InvariantCulture)));

    private static string Short(string sha256) => sha256[..Math.Min(12, sha256.Length)];
}
