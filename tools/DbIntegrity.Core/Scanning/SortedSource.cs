using DbIntegrity.Core.Plugins;

namespace DbIntegrity.Core.Scanning;

/// <summary>
/// One input of a merge: an async stream already sorted by a string key in UTF-8 byte order. It checks the order as
/// it reads, because a source that is not sorted would make the merge miss matches and report false findings; the scan
/// stops as incomplete instead.
/// </summary>
internal sealed class SortedSource<T> : IAsyncDisposable
{
    private readonly IAsyncEnumerator<T> _enumerator;
    private readonly Func<T, string> _key;
    private readonly string _name;

    private SortedSource(IAsyncEnumerator<T> enumerator, Func<T, string> key, string name)
    {
        _enumerator = enumerator;
        _key = key;
        _name = name;
    }

    public bool HasCurrent { get; private set; }

    public T Current => _enumerator.Current;

    public string CurrentKey { get; private set; } = string.Empty;

    public static async Task<SortedSource<T>> OpenAsync(IAsyncEnumerable<T> items, Func<T, string> key, string name, CancellationToken cancellationToken)
    {
        var source = new SortedSource<T>(items.GetAsyncEnumerator(cancellationToken), key, name);
        await source.AdvanceAsync();
        return source;
    }

    /// <summary>Takes every item whose key equals <paramref name="key"/> (the source must be positioned on it or past it).</summary>
    public async Task<List<T>> TakeAsync(string key)
    {
        var taken = new List<T>(1);
        while (HasCurrent && string.Equals(CurrentKey, key, StringComparison.Ordinal))
        {
            taken.Add(Current);
            await AdvanceAsync();
        }

        return taken;
    }

    /// <summary>Moves past the current item.</summary>
    public Task TakeOneAsync() => AdvanceAsync();

    public ValueTask DisposeAsync() => _enumerator.DisposeAsync();

    private async Task AdvanceAsync()
    {
        var previous = HasCurrent ? CurrentKey : null;
        HasCurrent = await _enumerator.MoveNextAsync();
        if (!HasCurrent)
        {
            return;
        }

        CurrentKey = _key(_enumerator.Current);
        if (previous is not null && Utf8Ordinal.Instance.Compare(previous, CurrentKey) > 0)
        {
            throw new UnavailableException(
                _name.StartsWith("s3", StringComparison.Ordinal) ? "storage" : "database",
                $"{_name} returned \"{CurrentKey}\" after \"{previous}\": it is not in UTF-8 byte order, so it cannot be merged reliably. "
                + "For PostgreSQL, the database must use UTF8 encoding; for S3, the endpoint must list keys in order.");
        }
    }
}
