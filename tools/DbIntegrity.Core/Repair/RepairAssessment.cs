using Npgsql;

namespace DbIntegrity.Core.Repair;

/// <summary>
/// Where each fix of a plan stands against the live state, read in one REPEATABLE READ READ ONLY snapshot (objects by
/// HEAD). A fix whose steps are partly done was changed by someone else: only a whole fix is ever pending or done.
/// </summary>
internal static class RepairAssessment
{
    // Every fix is pending (all steps to do, facts hold), done (all steps done) or stale (anything else).
    public static async Task<Dictionary<string, StepVerdict>> AssessAsync(ApplySession session, RepairPlan plan, CancellationToken cancellationToken)
    {
        var verdicts = new Dictionary<string, StepVerdict>(StringComparer.Ordinal);
        await using var transaction = await session.Connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
        session.Transaction = transaction;
        try
        {
            await using (var setup = new NpgsqlCommand($"SET TRANSACTION READ ONLY; {RepairSql.SessionSetup}", session.Connection, transaction))
            {
                await setup.ExecuteNonQueryAsync(cancellationToken);
            }

            foreach (var fix in plan.Fixes)
            {
                var states = new List<StepVerdict>();
                foreach (var step in fix.Steps)
                {
                    states.Add(await LiveState.AssessAsync(session, fix, step, forUpdate: false, cancellationToken));
                }

                verdicts[fix.Id] = await CombineAsync(session, fix, states, cancellationToken);
            }
        }
        finally
        {
            session.Transaction = null;
        }

        return verdicts;
    }

    private static async Task<StepVerdict> CombineAsync(ApplySession session, RepairFix fix, List<StepVerdict> states, CancellationToken cancellationToken)
    {
        if (states.FirstOrDefault(s => s.State == StepState.Stale) is { } stale)
        {
            return stale;
        }

        if (states.All(s => s.State == StepState.Done))
        {
            return StepVerdict.Done;
        }

        if (states.Any(s => s.State == StepState.Done))
        {
            return StepVerdict.Stale("part of it was changed by someone else since the plan");
        }

        foreach (var fact in fix.Facts)
        {
            if (await LiveState.CheckAsync(session, fact, forUpdate: false, cancellationToken) is { } problem)
            {
                return StepVerdict.Stale(problem);
            }
        }

        return StepVerdict.Pending;
    }
}
