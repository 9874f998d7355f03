using DbIntegrity.Core.Configuration;
using DbIntegrity.Core.Wording;
using FluentMigrator.Runner;
using Npgsql;

namespace DbIntegrity.Core.Migrating;

/// <summary>
/// How every writing run of <see cref="MigrationService"/> executes: one FluentMigrator runner, one transaction, the
/// advisory lock taken first, the version table re-read under it, and each migration step's failure turned into a
/// <see cref="MigrationFailedException"/> (its SQL failed) or an <see cref="UnavailableException"/> (the database went away).
/// </summary>
internal sealed class LockedRun(DatabaseSettings settings, MigrationCatalog catalog)
{
    // Serialises concurrent `migrate` runs on one database; released when the run's transaction ends.
    private const string LockSql = "SELECT pg_advisory_xact_lock(hashtext('dbintegrity:migrate'))";

    /// <summary>
    /// Runs <paramref name="run"/> in one transaction under the advisory lock and commits when it returns true (false
    /// rolls back). With <paramref name="expectedApplied"/>, first re-reads the version table under the lock and refuses
    /// when another run changed it since the plan was made.
    /// </summary>
    public Task<bool> RunAsync(string schemaName, IReadOnlySet<long>? expectedApplied, Func<MigrationRunnerHost, Task<bool>> run, CancellationToken cancellationToken) =>
        Task.Run(async () =>
        {
            using var host = MigrationRunnerHost.Create(settings, schemaName, preview: false, catalog);
            IMigrationScope transaction;
            IReadOnlySet<long> applied;
            try
            {
                transaction = host.BeginTransaction();
                host.Execute(LockSql);
                applied = await AppliedUnderLockAsync(host, cancellationToken);
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
            {
                throw Unavailable(settings, ex);
            }

            using (transaction)
            {
                if (expectedApplied is not null && !applied.SetEquals(expectedApplied))
                {
                    throw new ConfigurationException(
                        $"{settings.Describe()} was migrated by another run meanwhile; nothing was done. Run {HostWords.Of(NextStep.ShowMigrationStatus)} and try again.");
                }

                if (!await run(host))
                {
                    return false;
                }

                transaction.Complete();
                return true;
            }
        }, cancellationToken);

    private static async Task<IReadOnlySet<long>> AppliedUnderLockAsync(MigrationRunnerHost host, CancellationToken cancellationToken)
    {
        var applied = new HashSet<long>();
        await using var command = new NpgsqlCommand(
            $"SELECT to_regclass(quote_ident(current_schema()) || '.{VersionTable.Name}') IS NOT NULL", host.NpgsqlConnection, host.NpgsqlTransaction);
        if (await command.ExecuteScalarAsync(cancellationToken) is not true)
        {
            return applied;
        }

        command.CommandText = $"SELECT {VersionTable.VersionColumn} FROM {VersionTable.Name}";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            applied.Add(reader.GetInt64(0));
        }

        return applied;
    }

    /// <summary>Runs one migration step, naming the migration when its SQL fails.</summary>
    public void Step(MigrationDescriptor migration, MigrationDirection direction, Action step)
    {
        try
        {
            step();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            if (Innermost<PostgresException>(ex) is { } postgres)
            {
                throw new MigrationFailedException(migration, direction, $"{postgres.SqlState}: {postgres.MessageText}", ex);
            }

            if (Innermost<NpgsqlException>(ex) is { } npgsql)
            {
                throw Unavailable(settings, npgsql);
            }

            throw new MigrationFailedException(migration, direction, ex.Message, ex);
        }
    }

    public static UnavailableException Unavailable(DatabaseSettings settings, Exception ex) =>
        // Npgsql's messages name the host and user at most, never the password; the CLI redacts it anyway.
        new("database", $"cannot use {settings.Describe()}: {(ex is NpgsqlException npgsql ? Database.DatabaseFailures.Describe(npgsql) : ex.Message)}", ex);

    private static T? Innermost<T>(Exception? ex)
        where T : Exception
    {
        T? found = null;
        for (; ex is not null; ex = ex.InnerException)
        {
            found = ex as T ?? found;
        }

        return found;
    }
}
