using System.Collections.Concurrent;
using DbIntegrity.Core.Rules;
using DbIntegrity.Core.Storage;
using Npgsql;

namespace DbIntegrity.Core.Scanning;

/// <summary>
/// Confirms candidate findings against the live state before they are reported: the daemon may have uploaded the
/// missing object or deleted the stray row since the snapshot. Costs one HEAD or one query per candidate, never per row.
/// </summary>
internal static class Confirmation
{
    public static async Task RunAsync(
        ScanCollector collector,
        IObjectReader storage,
        NpgsqlConnection scanConnection,
        NpgsqlTransaction scanTransaction,
        Func<CancellationToken, Task<NpgsqlConnection?>> openFresh,
        int parallelism,
        CancellationToken cancellationToken)
    {
        var candidates = collector.DrainCandidates();
        if (candidates.Count == 0)
        {
            return;
        }

        var keys = candidates.SelectMany(c => c.Rechecks).Select(KeyOf).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        var exists = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(
            keys,
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallelism), CancellationToken = cancellationToken },
            async (key, ct) => exists[key] = await storage.HeadAsync(key, ct) is not null);

        // Outside the scan's REPEATABLE READ snapshot, on a fresh read-only connection; inside a gate's transaction,
        // on that transaction itself so the uncommitted migration is what is confirmed.
        await using var fresh = await openFresh(cancellationToken);
        if (fresh is not null)
        {
            await using var readOnly = new NpgsqlCommand("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY", fresh);
            await readOnly.ExecuteNonQueryAsync(cancellationToken);
        }

        foreach (var (finding, rechecks) in candidates)
        {
            var holds = true;
            foreach (var recheck in rechecks)
            {
                holds = recheck switch
                {
                    Recheck.ObjectMissing missing => !exists[missing.Key],
                    Recheck.ObjectPresent present => exists[present.Key],
                    Recheck.Query query => await QueryHoldsAsync(query, fresh ?? scanConnection, fresh is null ? scanTransaction : null, cancellationToken),
                    _ => throw new InvalidOperationException($"Unknown recheck {recheck.GetType().Name}."),
                };
                if (!holds)
                {
                    break;
                }
            }

            if (holds)
            {
                collector.Accept(finding);
            }
            else
            {
                collector.Reject();
            }
        }
    }

    private static string? KeyOf(Recheck recheck) => recheck switch
    {
        Recheck.ObjectMissing missing => missing.Key,
        Recheck.ObjectPresent present => present.Key,
        _ => null,
    };

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA2100", Justification = "Recheck SQL is written by rules; values travel as parameters.")]
    private static async Task<bool> QueryHoldsAsync(Recheck.Query query, NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(query.Sql, connection, transaction);
        foreach (var parameter in query.Parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        return await command.ExecuteScalarAsync(cancellationToken) is true;
    }
}
