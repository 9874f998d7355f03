using DbIntegrity.Core.Backup;
using DbIntegrity.Core.Plugins;
using DbIntegrity.Core.Storage;
using Npgsql;

namespace DbIntegrity.Core.Repair;

/// <summary>
/// The object steps of an apply: verified copies before the row transaction (packages before markers), deletions after
/// it, each re-checked against the live state right before it happens.
/// </summary>
internal static class RepairObjectPhase
{
    private const int DeleteAttempts = 5;

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
            return $"the source {copy.SourceKey} is no longer the package {copy.Checksum} (checksum (docs/daemon/packages.md#checksum) {source.Checksum ?? "unreadable"})";
        }

        // Conditional at the store: a destination the daemon (or anyone) wrote since the assessment above is never
        // replaced; the step is then judged again against what is there now.
        var condition = copy.Replaces switch
        {
            null => WriteCondition.Absent,
            { ETag: { } etag } => WriteCondition.Matching(etag),
            _ => null, // the store gave the replaced object no ETag: only the assessment above guards it
        };
        if (await source.PutVerifiedAsync(session.Store, copy.DestinationKey, condition, cancellationToken))
        {
            return null;
        }

        var now = await LiveState.AssessAsync(session, fix, copy, forUpdate: false, cancellationToken);
        return now.State == StepState.Done ? null
            : $"{copy.DestinationKey} was written by someone else during the apply ({now.Why ?? "it changed"}); left as it is";
    }

    /// <summary>
    /// Deletes a key under plugin/ while installs of its identifier are held off. The daemon installs in this order
    /// (plugin_manager/installer.go, install_service): an <c>install_tasks</c> row, then the copy to plugin/I, then
    /// one transaction that inserts or locks the <c>plugins</c> row. So a <c>plugins</c> lock alone would let an
    /// install that already copied its marker lose it; the phase locks both tables IN SHARE MODE NOWAIT (new tasks and
    /// new plugins rows wait, readers go on), refuses while a running task names the identifier, deletes the object
    /// and only then ends the transaction. Null when deleted (or already gone), else why it was left alone.
    /// </summary>
    public static async Task<string?> DeleteAsync(ApplySession session, RepairFix fix, RepairStep.DeleteObject delete, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await TryDeleteAsync(session, fix, delete, cancellationToken);
            }
            catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.LockNotAvailable && attempt < DeleteAttempts)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250 * attempt * attempt), cancellationToken);
            }
            catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.LockNotAvailable)
            {
                return $"the daemon kept writing plugins or install_tasks ({ex.MessageText}), so an install of this identifier could not be held off; {delete.Key} was left alone";
            }
        }
    }

    private static async Task<string?> TryDeleteAsync(ApplySession session, RepairFix fix, RepairStep.DeleteObject delete, CancellationToken cancellationToken)
    {
        await using var transaction = await session.Connection.BeginTransactionAsync(System.Data.IsolationLevel.ReadCommitted, cancellationToken);
        session.Transaction = transaction;
        try
        {
            await using (var setup = new NpgsqlCommand(RepairSql.SessionSetup, session.Connection, transaction))
            {
                await setup.ExecuteNonQueryAsync(cancellationToken);
            }

            await RepairSql.LockAgainstInstallsAsync(session.Connection, transaction, session.Schema, cancellationToken);

            var verdict = await LiveState.AssessAsync(session, fix, delete, forUpdate: false, cancellationToken);
            if (verdict.State != StepState.Pending)
            {
                return verdict.State == StepState.Done ? null : verdict.Why;
            }

            // The facts again, under the locks (e.g. still no plugins row for a stray marker).
            foreach (var fact in fix.Facts)
            {
                if (await LiveState.CheckAsync(session, fact, forUpdate: false, cancellationToken) is { } problem)
                {
                    return problem;
                }
            }

            if (InstalledIdentifier(session, delete.Key) is { } identifier
                && await RepairSql.RunningInstallTaskAsync(session.Connection, transaction, session.Schema, identifier, cancellationToken) is { } task)
            {
                return $"install task {task} is installing {identifier} right now, and the install copies {delete.Key} before it writes the plugins row (docs/daemon/storage.md#lifecycle); left alone";
            }

            // The locks are held across the deletion: an install of this identifier cannot start or finish meanwhile.
            if (!await session.Store.DeleteIfUnchangedAsync(delete.Key, new StoredObject(delete.Key, delete.Size, DateTimeOffset.MinValue, delete.ETag), cancellationToken))
            {
                return $"{delete.Key} changed right before the delete (planned ETag {delete.ETag}, {delete.Size} bytes); left alone";
            }

            await transaction.CommitAsync(cancellationToken);
            return null;
        }
        finally
        {
            session.Transaction = null;
        }
    }

    private static string? InstalledIdentifier(ApplySession session, string key)
    {
        var prefix = session.Layout.InstalledPath + "/";
        return key.StartsWith(prefix, StringComparison.Ordinal) && PluginUniqueIdentifier.TryParse(key[prefix.Length..], out var identifier) ? identifier.Value : null;
    }

    public static int CopyOrder(ApplySession session, RepairStep.CopyObject copy) =>
        copy.DestinationKey.StartsWith(session.Layout.PackagePath + "/", StringComparison.Ordinal) ? 0 : 1;
}
