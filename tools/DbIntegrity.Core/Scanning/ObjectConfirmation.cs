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
/// before the next key, so sparse candidates never cost more than about one request each either.
/// </summary>
internal static class ObjectConfirmation
{
    /// <summary>A candidate's stake in an object: its index and whether the object must exist (or be missing) for it to hold.</summary>
    public static string Reference(long index, bool mustExist) => (mustExist ? "+" : "-") + Confirmation.Key(index);

    public static async Task RunAsync(ExternalSorter objects, IObjectReader storage, StorageLayout layout, ScanOptions options, ExternalSorter failed, CancellationToken cancellationToken)
    {
        string[] prefixes = [.. new[] { layout.InstalledPath, layout.PackagePath, layout.MediaPath }.Select(StorageLayout.ListingPrefix).OrderByDescending(p => p.Length)];
        string? prefix = null;
        var pending = new List<(string Key, List<string> References)>();
        RangeListing? listing = null;
        try
        {
            await foreach (var (key, references) in Grouped(objects, cancellationToken))
            {
                var keyPrefix = PrefixOf(key, prefixes);
                if (keyPrefix != prefix)
                {
                    await HeadAsync(pending, storage, options.RecheckParallelism, failed, cancellationToken);
                    if (listing is not null)
                    {
                        await listing.DisposeAsync();
                        listing = null;
                    }

                    prefix = keyPrefix;
                }

                if (listing is not null)
                {
                    await RecordAsync(references, await listing.ExistsAsync(key, cancellationToken), failed, cancellationToken);
                    continue;
                }

                pending.Add((key, references));
                if (pending.Count > options.HeadConfirmationLimit)
                {
                    listing = new RangeListing(storage, keyPrefix);
                    foreach (var (waiting, waitingReferences) in pending)
                    {
                        await RecordAsync(waitingReferences, await listing.ExistsAsync(waiting, cancellationToken), failed, cancellationToken);
                    }

                    pending.Clear();
                }
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

    private static async IAsyncEnumerable<(string Key, List<string> References)> Grouped(ExternalSorter objects, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? key = null;
        var references = new List<string>();
        await foreach (var record in objects.SortedAsync(cancellationToken))
        {
            if (key is not null && !string.Equals(key, record.Key, StringComparison.Ordinal))
            {
                yield return (key, references);
                references = [];
            }

            key = record.Key;
            references.Add(record.Value);
        }

        if (key is not null)
        {
            yield return (key, references);
        }
    }

    private static async Task HeadAsync(List<(string Key, List<string> References)> pending, IObjectReader storage, int parallelism, ExternalSorter failed, CancellationToken cancellationToken)
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
            await RecordAsync(pending[i].References, exists[i], failed, cancellationToken);
        }

        pending.Clear();
    }

    private static async Task RecordAsync(List<string> references, bool exists, ExternalSorter failed, CancellationToken cancellationToken)
    {
        foreach (var reference in references)
        {
            if ((reference[0] == '+') != exists)
            {
                await failed.AddAsync(new SortRecord(reference[1..], string.Empty), cancellationToken);
            }
        }
    }

    /// <summary>One prefix listed forward from a key, restarted just before a later key when a gap is long.</summary>
    private sealed class RangeListing(IObjectReader storage, string prefix) : IAsyncDisposable
    {
        private const int PageSize = 1000;
        private IAsyncEnumerator<StoredObject>? _listing;
        private string? _current;

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

                _current = await _listing!.MoveNextAsync() ? _listing.Current.Key : null;
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
            _listing = storage.ListAsync(prefix, Before(key), cancellationToken).GetAsyncEnumerator(cancellationToken);
            _current = await _listing.MoveNextAsync() ? _listing.Current.Key : null;
        }

        // A string that sorts before the key with hardly any key between them: the key without its last character
        // (a surrogate pair is dropped whole, so the string stays valid UTF-16).
        private static string Before(string key) => key.Length == 0 ? key : key.Length >= 2 && char.IsLowSurrogate(key[^1]) ? key[..^2] : key[..^1];
    }
}
