using Npgsql;

namespace DbIntegrity.Core.Repair;

/// <summary>
/// Every row change of an apply in one transaction: lock what the facts rest on (NOWAIT), verify every fact and step
/// again under those locks, change the rows, commit once. A failed fact rolls everything back; a lock the daemon holds
/// rolls back and retries a few times. Killing the process at any point leaves the rows as before or fully repaired.
/// </summary>
internal static class RepairDatabasePhase
{
    private const int Attempts = 5;

    /// <summary>Null when committed, else why the plan is stale (nothing was changed).</summary>
    public static async Task<string?> RunAsync(ApplySession session, IReadOnlyList<RepairFix> fixes, RepairApplyOptions options, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await TryOnceAsync(session, fixes, options, cancellationToken);
            }
            catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.LockNotAvailable or PostgresErrorCodes.DeadlockDetected && attempt < Attempts)
            {
                options.Log?.Report($"the daemon holds a lock repair needs ({ex.MessageText}); trying again");
                await Task.Delay(TimeSpan.FromMilliseconds(250 * attempt * attempt), cancellationToken);
            }
            catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.LockNotAvailable or PostgresErrorCodes.DeadlockDetected)
            {
                throw new UnavailableException("database",
                    $"the daemon kept holding locks repair needs ({ex.MessageText}) after {Attempts} attempts; no row was changed. Run apply again when the daemon is quieter.", ex);
            }
        }
    }

    private static async Task<string?> TryOnceAsync(ApplySession session, IReadOnlyList<RepairFix> fixes, RepairApplyOptions options, CancellationToken cancellationToken)
    {
        await using var transaction = await session.Connection.BeginTransactionAsync(System.Data.IsolationLevel.ReadCommitted, cancellationToken);
        session.Transaction = transaction;
        try
        {
            await using (var setup = new NpgsqlCommand(RepairSql.SessionSetup, session.Connection, transaction))
            {
                await setup.ExecuteNonQueryAsync(cancellationToken);
            }

            // A backstop for waits NOWAIT cannot cover (e.g. a unique index entry another transaction is inserting).
            await using (var timeout = new NpgsqlCommand("SELECT set_config('lock_timeout', $1, true)", session.Connection, transaction))
            {
                timeout.Parameters.Add(new NpgsqlParameter { Value = $"{(long)options.LockTimeout.TotalMilliseconds}ms" });
                await timeout.ExecuteNonQueryAsync(cancellationToken);
            }

            await RepairSql.LockForCountingAsync(
                session.Connection, transaction, session.Schema, fixes.SelectMany(f => f.Facts).OfType<RepairFact.RowCount>().Select(c => c.Table), cancellationToken);

            // Rows in one fixed order, then every other fact, then every step: all under the locks just taken.
            foreach (var fact in fixes.SelectMany(f => f.Facts).OfType<RepairFact.Row>().OrderBy(r => r.Table, StringComparer.Ordinal).ThenBy(r => r.Id, StringComparer.Ordinal))
            {
                if (await LiveState.CheckAsync(session, fact, forUpdate: true, cancellationToken) is { } problem)
                {
                    return problem;
                }
            }

            foreach (var fix in fixes)
            {
                foreach (var fact in fix.Facts.Where(f => f is not RepairFact.Row))
                {
                    if (await LiveState.CheckAsync(session, fact, forUpdate: true, cancellationToken) is { } problem)
                    {
                        return $"{fix.Id}: {problem}";
                    }
                }

                foreach (var step in fix.Steps.Where(IsRowStep))
                {
                    var verdict = await LiveState.AssessAsync(session, fix, step, forUpdate: true, cancellationToken);
                    if (verdict.State != StepState.Pending)
                    {
                        return $"{fix.Id}: {verdict.Why ?? "already changed by someone else"}";
                    }
                }
            }

            foreach (var fix in fixes)
            {
                foreach (var step in fix.Steps)
                {
                    await ExecuteAsync(session, transaction, step, cancellationToken);
                    options.Log?.Report($"{fix.Id}: {Describe(step)}");
                }
            }

            if (options.Checkpoint is not null)
            {
                await options.Checkpoint(RepairCheckpoints.RowsChanged, cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            return null;
        }
        finally
        {
            session.Transaction = null;
        }
    }

    public static bool IsRowStep(RepairStep step) => step is RepairStep.DeleteRow or RepairStep.UpdateRow or RepairStep.InsertRow;

    private static Task ExecuteAsync(ApplySession session, NpgsqlTransaction transaction, RepairStep step, CancellationToken cancellationToken) => step switch
    {
        RepairStep.DeleteRow delete => RepairSql.DeleteAsync(session.Connection, transaction, session.Schema, delete.Table, delete.Id, cancellationToken),
        RepairStep.UpdateRow update => RepairSql.UpdateAsync(session.Connection, transaction, session.Schema, update.Table, update.Id, update.Set, cancellationToken),
        RepairStep.InsertRow insert => RepairSql.InsertAsync(session.Connection, transaction, session.Schema, insert.Table, insert.Values, cancellationToken),
        _ => throw new InvalidOperationException($"{step.GetType().Name} is not a row step."),
    };

    private static string Describe(RepairStep step) => step switch
    {
        RepairStep.DeleteRow delete => $"deleted {delete.Table} row {delete.Id}",
        RepairStep.UpdateRow update => $"updated {update.Table} row {update.Id} ({string.Join(", ", update.Set.Select(kv => $"{kv.Key} = {kv.Value.GetRawText()}"))})",
        RepairStep.InsertRow insert => $"inserted {insert.Table} row {insert.Id}",
        _ => step.ToString(),
    };
}
