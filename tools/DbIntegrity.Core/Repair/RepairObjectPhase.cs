using DbIntegrity.Core.Backup;
using Npgsql;

namespace DbIntegrity.Core.Repair;

/// <summary>
/// The object steps of an apply: verified copies before the row transaction (packages before markers), deletions after
/// it, each re-checked against the live state right before it happens.
/// </summary>
internal static class RepairObjectPhase
{
    public static async Task<string?> CopyAsync(ApplySession session, RepairFix fix, RepairStep.CopyObject copy, CancellationToken cancellationToken)
    {
        // Already done by an earlier, interrupted run of this step: the destination verifies.
        var verdict = await LiveState.AssessAsync(session, fix, copy, forUpdate: false, cancellationToken);
        if (verdict.State == StepState.Done)
        {
            return null;
        }

        if (verdict.State == StepState.Stale)
        {
            return verdict.Why;
        }

        await using var source = await DownloadedObject.DownloadAsync(session.StoreFor(copy.SourceBucket), copy.SourceKey, computeChecksum: true, cancellationToken);
        if (source is null)
        {
            return $"the source {copy.SourceKey} no longer exists";
        }

        if (source.Checksum != copy.Checksum)
        {
            return $"the source {copy.SourceKey} is no longer the package {copy.Checksum} (§6.3 checksum {source.Checksum ?? "unreadable"})";
        }

        await source.PutVerifiedAsync(session.Store, copy.DestinationKey, cancellationToken);
        return null;
    }

    public static async Task<string?> DeleteAsync(ApplySession session, RepairFix fix, RepairStep.DeleteObject delete, CancellationToken cancellationToken)
    {
        await using var transaction = await session.Connection.BeginTransactionAsync(System.Data.IsolationLevel.ReadCommitted, cancellationToken);
        session.Transaction = transaction;
        try
        {
            await using (var setup = new NpgsqlCommand(RepairSql.SessionSetup, session.Connection, transaction))
            {
                await setup.ExecuteNonQueryAsync(cancellationToken);
            }

            var verdict = await LiveState.AssessAsync(session, fix, delete, forUpdate: false, cancellationToken);
            if (verdict.State != StepState.Pending)
            {
                return verdict.State == StepState.Done ? null : verdict.Why;
            }

            // The facts again, just before the deletion (e.g. still no plugins row for a stray marker).
            foreach (var fact in fix.Facts)
            {
                if (await LiveState.CheckAsync(session, fact, forUpdate: false, cancellationToken) is { } problem)
                {
                    return problem;
                }
            }
        }
        finally
        {
            session.Transaction = null;
        }

        await session.Store.DeleteAsync(delete.Key, cancellationToken);
        return null;
    }

    public static int CopyOrder(ApplySession session, RepairStep.CopyObject copy) =>
        copy.DestinationKey.StartsWith(session.Layout.PackagePath + "/", StringComparison.Ordinal) ? 0 : 1;
}
