using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using DbIntegrity.Core.Configuration;
using DbIntegrity.Core.Sorting;
using DbIntegrity.Core.Storage;
using Npgsql;

namespace DbIntegrity.Core.Scanning;

/// <summary>
/// Confirms candidate findings against the live state before they are reported: the daemon may have uploaded the
/// missing object or deleted the stray row since the snapshot. Streams the candidates twice in bounded memory: first
/// every object they name goes to an external sort (then few per prefix are HEADed, many are confirmed by listing
/// their key range again) and every query recheck joins a batch of its kind (one round trip per 1,000); then each
/// candidate is accepted unless one of its rechecks failed (failed candidates are sorted by index, also on disk).
/// </summary>
internal static class Confirmation
{
    public static async Task RunAsync(
        ScanCollector collector,
        IObjectReader storage,
        StorageLayout layout,
        NpgsqlConnection scanConnection,
        NpgsqlTransaction scanTransaction,
        Func<CancellationToken, Task<NpgsqlConnection?>> openFresh,
        ScanOptions options,
        CancellationToken cancellationToken)
    {
        var candidates = collector.Candidates;
        if (candidates.Count == 0)
        {
            return;
        }

        // Outside the scan's REPEATABLE READ snapshot, on a fresh read-only connection; inside a gate's transaction,
        // on that transaction itself so the uncommitted migration is what is confirmed.
        var (fresh, snapshotEnded) = await OpenRecheckAsync(openFresh, scanTransaction, cancellationToken);
        await using var owned = fresh;
        var recheckConnection = fresh ?? scanConnection;
        if (fresh is not null || snapshotEnded)
        {
            await using var readOnly = new NpgsqlCommand("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY", recheckConnection);
            await readOnly.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var failed = new ExternalSorter(options.CandidateBuffer);
        await using var objects = new ExternalSorter(options.CandidateBuffer);
        // A second fresh connection for the query rechecks when there are enough of them to keep two busy; none inside a
        // gate's transaction (only it sees the migration) or when the server would not give even the first.
        await using var queries = new RecheckBatches(
            recheckConnection, fresh is null && !snapshotEnded ? scanTransaction : null, failed, openLane: fresh is null ? null : ct => OpenLaneAsync(openFresh, ct));
        // An object's record is written from the cursor's bytes (ExternalSorter.Add): one that goes straight to a run
        // makes no object, and its key is never a string.
        var reference = new byte[ObjectConfirmation.ReferenceLength];
        using (var rechecks = await candidates.OpenRechecksAsync())
        {
            while (rechecks.MoveNext())
            {
                cancellationToken.ThrowIfCancellationRequested();
                switch (rechecks.Kind)
                {
                    case CandidateSpill.RecheckKind.ObjectMissing:
                        objects.Add(rechecks.Key, reference.AsSpan(0, ObjectConfirmation.WriteReference(rechecks.Candidate, mustExist: false, reference)), cancellationToken);
                        break;
                    case CandidateSpill.RecheckKind.ObjectPresent:
                        objects.Add(rechecks.Key, reference.AsSpan(0, ObjectConfirmation.WriteReference(rechecks.Candidate, mustExist: true, reference)), cancellationToken);
                        break;
                    case CandidateSpill.RecheckKind.Query:
                        await queries.AddAsync(rechecks.Candidate, rechecks.Query!, cancellationToken);
                        break;
                    default:
                        throw new InvalidOperationException($"Unknown recheck kind {rechecks.Kind}.");
                }
            }
        }

        await queries.FlushAsync(cancellationToken);
        await ObjectConfirmation.RunAsync(objects, storage, layout, options, failed, cancellationToken);

        await using var rejected = failed.SortedAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
        long? nextRejected = await rejected.MoveNextAsync() ? ReadKey(rejected.Current.Utf8Key) : null;
        long index = 0;
        using var findings = await candidates.OpenFindingsAsync();
        while (findings.MoveNext())
        {
            cancellationToken.ThrowIfCancellationRequested();
            var holds = true;
            while (nextRejected is { } n && n <= index)
            {
                holds &= n != index;
                nextRejected = await rejected.MoveNextAsync() ? ReadKey(rejected.Current.Utf8Key) : null;
            }

            if (!holds)
            {
                collector.Reject();
            }
            else if (findings.Held is { } held)
            {
                collector.Accept(held);
            }
            else
            {
                collector.Accept(findings.SortKey, findings.Rest);
            }

            index++;
        }
    }

    /// <summary>
    /// The fresh connection, or, when the server will not open another (SQLSTATE 53300: a role's or database's
    /// <c>CONNECTION LIMIT</c>, a full <c>max_connections</c>), none, with the scan's snapshot ended: every pass has read
    /// it by then, and outside a transaction the scan's own connection sees the live state as a fresh one would.
    /// </summary>
    private static async Task<(NpgsqlConnection? Fresh, bool SnapshotEnded)> OpenRecheckAsync(
        Func<CancellationToken, Task<NpgsqlConnection?>> openFresh, NpgsqlTransaction scanTransaction, CancellationToken cancellationToken)
    {
        try
        {
            return (await openFresh(cancellationToken), false);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.TooManyConnections)
        {
            await scanTransaction.RollbackAsync(cancellationToken);
            return (null, true);
        }
    }

    /// <summary>
    /// Another fresh read-only connection for the query rechecks, or none when it cannot be had: the server refusing it
    /// (a role's <c>CONNECTION LIMIT</c>, a full <c>max_connections</c>), the pool exhausted, or any other failure to open
    /// or set it up. It is only a second lane; the rechecks go on on the first, which does report its failures.
    /// </summary>
    private static async Task<NpgsqlConnection?> OpenLaneAsync(Func<CancellationToken, Task<NpgsqlConnection?>> openFresh, CancellationToken cancellationToken)
    {
        NpgsqlConnection? lane = null;
        var handedOver = false;
        try
        {
            lane = await openFresh(cancellationToken);
            if (lane is not null)
            {
                await using var readOnly = new NpgsqlCommand("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY", lane);
                await readOnly.ExecuteNonQueryAsync(cancellationToken);
            }

            handedOver = true;
            return lane;
        }
        catch (Exception ex) when ((ex is NpgsqlException or InvalidOperationException or TimeoutException) && !cancellationToken.IsCancellationRequested)
        {
            return null;
        }
        finally
        {
            if (!handedOver && lane is not null)
            {
                await lane.DisposeAsync();
            }
        }
    }

    /// <summary>A candidate's index as a sort key: fixed width, so byte order is numeric order.</summary>
    internal static string Key(long index) => index.ToString("D19", CultureInfo.InvariantCulture);

    /// <summary>The bytes of a <see cref="Key"/>.</summary>
    internal const int KeyLength = 19;

    /// <summary><see cref="Key"/>'s UTF-8 bytes, written into <paramref name="into"/> (<see cref="KeyLength"/> of them); their count.</summary>
    internal static int WriteKey(long index, Span<byte> into) =>
        Utf8Formatter.TryFormat(index, into, out var written, new StandardFormat('D', KeyLength)) && written == KeyLength
            ? written
            : throw new ArgumentOutOfRangeException(nameof(index), index, "A candidate's index is 0 or more and fits its key.");

    /// <summary>A candidate whose recheck failed, added to the sorter of failed indexes by its <see cref="Key"/>'s bytes.</summary>
    internal static void AddFailed(ExternalSorter failed, long index, CancellationToken cancellationToken)
    {
        Span<byte> key = stackalloc byte[KeyLength];
        failed.Add(key[..WriteKey(index, key)], [], cancellationToken);
    }

    /// <summary>The index a <see cref="Key"/> was made from, given as its UTF-8 bytes.</summary>
    internal static long ReadKey(ReadOnlySpan<byte> key) =>
        key.Length == KeyLength && !key.ContainsAnyExceptInRange((byte)'0', (byte)'9') && Utf8Parser.TryParse(key, out long index, out var read) && read == KeyLength
            ? index
            : throw new InvalidDataException("A candidate's index is not what confirmation wrote.");
}
