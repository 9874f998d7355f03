using System.Buffers;
using System.Text;
using DbIntegrity.Core.Configuration;
using DbIntegrity.Core.Plugins;
using DbIntegrity.Core.Sorting;
using DbIntegrity.Core.Storage;

namespace DbIntegrity.Core.Scanning;

/// <summary>
/// Confirms whether the objects candidates name exist now, from their keys in byte order. Within one listing prefix,
/// up to <see cref="ScanOptions.HeadConfirmationLimit"/> keys are HEADed in parallel; beyond that the prefix's key range
/// is listed again from the first key (a lost prefix costs one request per 1,000 listed keys instead of one HEAD per
/// candidate; an empty range costs one). Long stretches without a candidate are skipped by starting a new listing just
/// before the next key, so sparse candidates never cost more than about one request each either. On a store whose listing
/// seeks (S3's <c>StartAfter</c>), the candidates of a prefix are listed a chunk of 1,000 at a time, each chunk from just
/// before its first key on a listing of its own, up to <see cref="MaxChunksAtOnce"/> at once: a long range then waits for
/// the store's answers once per chunk in flight, not once per page in turn (a wiped 10^4 scan against Ceph RGW
/// confirmed 10,000 installed markers by ten pages in a row; docs/benchmarks.md). Elsewhere (a local folder, Azure,
/// whose listing from a key filters the full listing) one listing goes forward through the prefix.
/// </summary>
internal static class ObjectConfirmation
{
    /// <summary>Key ranges of one prefix listed at once, on a store that seeks (<see cref="IObjectReader.SeeksInListing"/>).</summary>
    private const int MaxChunksAtOnce = 4;

    /// <summary>
    /// A candidate's stake in an object, as the object's sort record holds it: whether the object must exist (+) or be
    /// missing (-) for it to hold, then its index (<see cref="Confirmation.WriteKey"/>); written into
    /// <paramref name="into"/> (<see cref="ReferenceLength"/> bytes), its length.
    /// </summary>
    public static int WriteReference(long index, bool mustExist, Span<byte> into)
    {
        into[0] = mustExist ? (byte)'+' : (byte)'-';
        return 1 + Confirmation.WriteKey(index, into[1..]);
    }

    /// <summary>The bytes <see cref="WriteReference"/> writes.</summary>
    public const int ReferenceLength = 1 + Confirmation.KeyLength;

    /// <summary>A reference read back, as its index times two, plus one when the object must exist.</summary>
    internal static long ReadReference(ReadOnlySpan<byte> reference) =>
        reference.Length == ReferenceLength && reference[0] is (byte)'+' or (byte)'-' && Confirmation.ReadKey(reference[1..]) is var index and <= long.MaxValue >> 1
            ? (index << 1) | (reference[0] == '+' ? 1L : 0L)
            : throw new InvalidDataException("An object's confirmation record does not hold a candidate's reference.");

    public static async Task RunAsync(ExternalSorter objects, IObjectReader storage, StorageLayout layout, ScanOptions options, ExternalSorter failed, CancellationToken cancellationToken)
    {
        string[] prefixes = [.. new[] { layout.InstalledPath, layout.PackagePath, layout.MediaPath }.Select(StorageLayout.ListingPrefix).OrderByDescending(p => p.Length)];
        string? prefix = null;
        var pending = new List<(string Key, List<long> References)>();
        ChunkedListing? listing = null;
        try
        {
            foreach (var (key, references) in Grouped(objects, cancellationToken))
            {
                var keyPrefix = PrefixOf(key, prefixes);
                if (keyPrefix != prefix)
                {
                    await HeadAsync(pending, storage, options.RecheckParallelism, failed, cancellationToken);
                    if (listing is not null)
                    {
                        await listing.CompleteAsync();
                        await listing.DisposeAsync();
                        listing = null;
                    }

                    prefix = keyPrefix;
                }

                if (listing is not null)
                {
                    await listing.AddAsync(key, references);
                    continue;
                }

                pending.Add((key, references));
                if (pending.Count > options.HeadConfirmationLimit)
                {
                    listing = new ChunkedListing(storage, keyPrefix, storage.SeeksInListing ? Math.Clamp(options.RecheckParallelism, 1, MaxChunksAtOnce) : 1, failed, cancellationToken);
                    foreach (var (waiting, waitingReferences) in pending)
                    {
                        await listing.AddAsync(waiting, waitingReferences);
                    }

                    pending.Clear();
                }
            }

            if (listing is not null)
            {
                await listing.CompleteAsync();
            }

            await HeadAsync(pending, storage, options.RecheckParallelism, failed, cancellationToken);
        }
        finally
        {
            if (listing is not null)
            {
                await listing.DisposeAsync();
            }
        }
    }

    /// <summary>The layout prefix a key is listed under, else its "directory" (up to the last '/').</summary>
    internal static string PrefixOf(string key, IReadOnlyList<string> prefixes)
    {
        foreach (var prefix in prefixes)
        {
            if (key.StartsWith(prefix, StringComparison.Ordinal))
            {
                return prefix;
            }
        }

        return key[..(key.LastIndexOf('/') + 1)];
    }

    // The objects' records grouped by key: each key decoded once, with its candidates' references (ReadReference).
    private static IEnumerable<(string Key, List<long> References)> Grouped(ExternalSorter objects, CancellationToken cancellationToken)
    {
        using var records = objects.OpenSorted(cancellationToken);
        string? key = null;
        var keyBytes = new ArrayBufferWriter<byte>(256);
        var references = new List<long>();
        while (records.MoveNext())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (key is null || !records.Key.SequenceEqual(keyBytes.WrittenSpan))
            {
                if (key is not null)
                {
                    yield return (key, references);
                    references = [];
                }

                key = Encoding.UTF8.GetString(records.Key);
                keyBytes.ResetWrittenCount();
                keyBytes.Write(records.Key);
            }

            references.Add(ReadReference(records.Value));
        }

        if (key is not null)
        {
            yield return (key, references);
        }
    }

    private static async Task HeadAsync(List<(string Key, List<long> References)> pending, IObjectReader storage, int parallelism, ExternalSorter failed, CancellationToken cancellationToken)
    {
        if (pending.Count == 0)
        {
            return;
        }

        var exists = new bool[pending.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, pending.Count),
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallelism), CancellationToken = cancellationToken },
            async (i, ct) => exists[i] = await storage.HeadAsync(pending[i].Key, ct) is not null);
        for (var i = 0; i < pending.Count; i++)
        {
            Record(pending[i].References, exists[i], failed, cancellationToken);
        }

        pending.Clear();
    }

    private static void Record(List<long> references, bool exists, ExternalSorter failed, CancellationToken cancellationToken)
    {
        foreach (var reference in references)
        {
            if (((reference & 1) == 1) != exists)
            {
                Confirmation.AddFailed(failed, reference >> 1, cancellationToken);
            }
        }
    }

    /// <summary>
    /// The candidates of one prefix confirmed by listing their range again: with one lane, in place, on one listing; with
    /// more, a chunk of <see cref="ChunkSize"/> keys at a time, each on a listing of its own, up to <c>lanes</c> chunks at
    /// once, after the first chunk alone: when a listing reaches the prefix's end, no later key exists
    /// (<see cref="RangeListing.EndsAfter"/>), and the keys after it are answered without a request (a wiped prefix costs
    /// one request however many candidates it has, as with one listing). Answers are recorded (<c>failed</c>) on the
    /// caller's thread, a chunk at a time, oldest first: the sorter is not thread-safe.
    /// </summary>
    private sealed class ChunkedListing(IObjectReader storage, string prefix, int lanes, ExternalSorter failed, CancellationToken cancellationToken) : IAsyncDisposable
    {
        private const int ChunkSize = 1000;
        private readonly RangeListing? _inline = lanes <= 1 ? new RangeListing(storage, prefix) : null;
        private readonly Queue<(List<(string Key, List<long> References)> Chunk, Task<(bool[] Exists, string? EndsAfter)> Answers)> _inFlight = new();

        // Cancels the chunks still listing when the confirmation stops early (a failure elsewhere, or the caller's).
        private readonly CancellationTokenSource _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        private List<(string Key, List<long> References)> _chunk = [];
        private bool _fannedOut;

        // No key of the prefix after this one existed when a chunk's listing reached the prefix's end.
        private string? _endsAfter;

        public async Task AddAsync(string key, List<long> references)
        {
            if (_inline is not null)
            {
                Record(references, await _inline.ExistsAsync(key, _stop.Token), failed, _stop.Token);
                return;
            }

            if (_endsAfter is not null && Utf8Ordinal.Instance.Compare(key, _endsAfter) > 0)
            {
                Record(references, false, failed, _stop.Token);
                return;
            }

            _chunk.Add((key, references));
            if (_chunk.Count >= ChunkSize)
            {
                await DispatchAsync();
            }
        }

        /// <summary>Lists what is left and records every answer. Call once, after the prefix's last key.</summary>
        public async Task CompleteAsync()
        {
            if (_chunk.Count > 0)
            {
                await DispatchAsync();
            }

            while (_inFlight.Count > 0)
            {
                await CollectOldestAsync();
            }
        }

        /// <summary>Stops the chunks still being listed (a caller that stopped early) and waits for them, so none outlives the confirmation.</summary>
        public async ValueTask DisposeAsync()
        {
            if (_inline is not null)
            {
                await _inline.DisposeAsync();
            }

            await _stop.CancelAsync();
            while (_inFlight.Count > 0)
            {
                var answers = _inFlight.Dequeue().Answers;
                await ((Task)answers).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                _ = answers.Exception; // observed: the confirmation already failed or was cancelled, and says so
            }

            _stop.Dispose();
        }

        private async Task DispatchAsync()
        {
            if (_inFlight.Count >= lanes)
            {
                await CollectOldestAsync();
            }

            var chunk = _chunk;
            _chunk = [];
            _inFlight.Enqueue((chunk, ListAsync(chunk, _stop.Token)));
            if (!_fannedOut)
            {
                // The first chunk alone: if its listing reaches the prefix's end, no other chunk needs one.
                await CollectOldestAsync();
                _fannedOut = true;
            }
        }

        private async Task<(bool[] Exists, string? EndsAfter)> ListAsync(List<(string Key, List<long> References)> chunk, CancellationToken stop)
        {
            await Task.Yield();
            await using var listing = new RangeListing(storage, prefix);
            var exists = new bool[chunk.Count];
            for (var i = 0; i < chunk.Count; i++)
            {
                exists[i] = await listing.ExistsAsync(chunk[i].Key, stop);
            }

            return (exists, listing.EndsAfter);
        }

        private async Task CollectOldestAsync()
        {
            var (chunk, answers) = _inFlight.Dequeue();
            var (exists, endsAfter) = await answers;
            if (endsAfter is not null && (_endsAfter is null || Utf8Ordinal.Instance.Compare(endsAfter, _endsAfter) < 0))
            {
                _endsAfter = endsAfter;
            }

            for (var i = 0; i < chunk.Count; i++)
            {
                Record(chunk[i].References, exists[i], failed, _stop.Token);
            }
        }
    }

    /// <summary>One prefix listed forward from a key, restarted just before a later key when a gap is long.</summary>
    private sealed class RangeListing(IObjectReader storage, string prefix) : IAsyncDisposable
    {
        private const int PageSize = 1000;
        private IAsyncEnumerator<StoredObject>? _listing;
        private string? _current;
        private string? _startedAfter;

        /// <summary>
        /// Once the listing has reached the prefix's end: the last key it listed, or the key it started after when it
        /// listed none. No key of the prefix after it existed then. Null while the listing has not ended.
        /// </summary>
        public string? EndsAfter { get; private set; }

        public async Task<bool> ExistsAsync(string key, CancellationToken cancellationToken)
        {
            var restarted = false;
            if (_listing is null)
            {
                await RestartAsync(key, cancellationToken);
                restarted = true;
            }

            var skipped = 0;
            while (_current is not null && Utf8Ordinal.Instance.Compare(_current, key) < 0)
            {
                if (++skipped > PageSize && !restarted)
                {
                    // More than a page of keys no candidate asked about: seek instead of reading through them.
                    await RestartAsync(key, cancellationToken);
                    restarted = true;
                    continue;
                }

                await NextAsync();
            }

            return string.Equals(_current, key, StringComparison.Ordinal);
        }

        public async ValueTask DisposeAsync()
        {
            if (_listing is not null)
            {
                await _listing.DisposeAsync();
            }
        }

        private async Task RestartAsync(string key, CancellationToken cancellationToken)
        {
            await DisposeAsync();
            _startedAfter = Before(key);
            _current = null;
            _listing = storage.ListAsync(prefix, _startedAfter, cancellationToken).GetAsyncEnumerator(cancellationToken);
            await NextAsync();
        }

        // The next key; at the end, what the listing ends after: the key before (null only as the listing starts).
        private async Task NextAsync()
        {
            var last = _current;
            _current = await _listing!.MoveNextAsync() ? _listing.Current.Key : null;
            if (_current is null)
            {
                EndsAfter = last ?? _startedAfter;
            }
        }

        // A string that sorts before the key with hardly any key between them: the key without its last character
        // (a surrogate pair is dropped whole, so the string stays valid UTF-16).
        private static string Before(string key) => key.Length == 0 ? key : key.Length >= 2 && char.IsLowSurrogate(key[^1]) ? key[..^2] : key[..^1];
    }
}
