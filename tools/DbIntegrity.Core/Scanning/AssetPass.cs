using DbIntegrity.Core.Configuration;
using DbIntegrity.Core.Rules;
using DbIntegrity.Core.Sorting;
using DbIntegrity.Core.Storage;

namespace DbIntegrity.Core.Scanning;

/// <summary>
/// Collects the asset ids that declarations reference while the identifier pass reads them, sorts them in bounded
/// memory, and merges them with the one listing of the media prefix (docs/daemon/storage.md#key-layout, docs/daemon/packages.md#declaration, docs/daemon/rules.md#icons).
/// </summary>
internal sealed class AssetPass : IAsyncDisposable
{
    // Icons repeat across versions and plugins: references are first aggregated per asset id in a bounded map, and
    // only the aggregates (first reference and a count) go to the external sorter.
    private const int MaxPendingIds = 50_000;

    private readonly ExternalSorter _references = new();
    private readonly Dictionary<string, (AssetReference First, long Count)> _pending = new(StringComparer.Ordinal);

    /// <summary>Records the assets of the declarations in one identifier group.</summary>
    public async Task CollectAsync(IdentifierGroup group, CancellationToken cancellationToken)
    {
        foreach (var row in group.Declarations)
        {
            if (row.Content is { IsReadable: true } content)
            {
                foreach (var asset in content.Declaration.Assets)
                {
                    await AddAsync(asset.AssetId, () => new AssetReference("plugin_declarations", row.Id, group.Key, asset.Field, row.Newest), cancellationToken);
                }
            }
        }

        foreach (var row in group.Plugins)
        {
            if (row.RemoteDeclaration is { IsReadable: true } remote)
            {
                foreach (var asset in remote.Declaration.Assets)
                {
                    await AddAsync(asset.AssetId, () => new AssetReference("plugins", row.Id, group.Key, "remote_declaration." + asset.Field, row.Newest), cancellationToken);
                }
            }
        }
    }

    public async Task RunAsync(ScanSession session, Func<AssetGroup, Task> onGroup, CancellationToken cancellationToken)
    {
        await FlushAsync(cancellationToken);
        var prefix = StorageLayout.ListingPrefix(session.Layout.MediaPath);
        await using var objects = await SortedSource<StoredObject>.OpenAsync(session.ListAsync(prefix, cancellationToken), o => o.Key[prefix.Length..], $"s3 listing of {prefix}", cancellationToken);
        await using var references = await SortedSource<SortRecord>.OpenAsync(_references.SortedAsync(cancellationToken), r => r.Key, "the sorted asset references", cancellationToken);
        session.Progress?.Report(new ScanProgress("cross-checking assets", _references.Count));
        while (KeyMerge.NextKey(KeyMerge.KeyOf(objects), KeyMerge.KeyOf(references)) is { } key)
        {
            var listed = await objects.TakeAsync(key);
            // Stream through the aggregates of this id (one per flush that saw it); only the first reference is kept.
            AssetReference? first = null;
            long count = 0;
            while (references.HasCurrent && references.CurrentKey == key)
            {
                var value = references.Current.Value; // decoded from UTF-8 on each read of Value
                var separator = value.IndexOf('\u001e', StringComparison.Ordinal);
                count += long.Parse(value.AsSpan(0, separator), System.Globalization.CultureInfo.InvariantCulture);
                first ??= AssetReference.Deserialize(value[(separator + 1)..]);
                await references.TakeOneAsync();
            }

            await onGroup(new AssetGroup(key, listed.FirstOrDefault(), first, count));
        }
    }

    public ValueTask DisposeAsync() => _references.DisposeAsync();

    private async Task AddAsync(string assetId, Func<AssetReference> reference, CancellationToken cancellationToken)
    {
        if (_pending.TryGetValue(assetId, out var seen))
        {
            _pending[assetId] = (seen.First, seen.Count + 1);
            return;
        }

        if (_pending.Count >= MaxPendingIds)
        {
            await FlushAsync(cancellationToken);
        }

        _pending[assetId] = (reference(), 1);
    }

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        foreach (var (assetId, (first, count)) in _pending)
        {
            var value = count.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\u001e" + first.Serialize();
            await _references.AddAsync(new SortRecord(assetId, value), cancellationToken);
        }

        _pending.Clear();
    }
}
