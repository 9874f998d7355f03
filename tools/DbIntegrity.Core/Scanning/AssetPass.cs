using DbIntegrity.Core.Configuration;
using DbIntegrity.Core.Storage;

namespace DbIntegrity.Core.Scanning;

/// <summary>
/// Collects the asset ids that declarations reference while the identifier pass reads them, sorts them in bounded
/// memory, and merges them with the one listing of the media prefix (reference §3.2, §6.2, §7.7).
/// </summary>
internal sealed class AssetPass : IAsyncDisposable
{
    private readonly ExternalSorter _references = new();

    /// <summary>Records the assets of the declarations in one identifier group.</summary>
    public async Task CollectAsync(IdentifierGroup group, CancellationToken cancellationToken)
    {
        foreach (var row in group.Declarations)
        {
            if (row.Content is { IsReadable: true } content)
            {
                foreach (var asset in content.Declaration.Assets)
                {
                    await _references.AddAsync(new SortRecord(asset.AssetId, new AssetReference("plugin_declarations", row.Id, group.Key, asset.Field, row.Newest).Serialize()), cancellationToken);
                }
            }
        }

        foreach (var row in group.Plugins)
        {
            if (row.RemoteDeclaration is { IsReadable: true } remote)
            {
                foreach (var asset in remote.Declaration.Assets)
                {
                    await _references.AddAsync(new SortRecord(asset.AssetId, new AssetReference("plugins", row.Id, group.Key, "remote_declaration." + asset.Field, row.Newest).Serialize()), cancellationToken);
                }
            }
        }
    }

    public async Task RunAsync(ScanSession session, Func<AssetGroup, Task> onGroup, CancellationToken cancellationToken)
    {
        var prefix = StorageLayout.ListingPrefix(session.Layout.MediaPath);
        await using var objects = await SortedSource<StoredObject>.OpenAsync(session.ListAsync(prefix, cancellationToken), o => o.Key[prefix.Length..], $"s3 listing of {prefix}", cancellationToken);
        await using var references = await SortedSource<SortRecord>.OpenAsync(_references.SortedAsync(cancellationToken), r => r.Key, "the sorted asset references", cancellationToken);
        session.Progress?.Report(new ScanProgress("cross-checking assets", _references.Count));
        while (KeyMerge.NextKey(KeyMerge.KeyOf(objects), KeyMerge.KeyOf(references)) is { } key)
        {
            var listed = await objects.TakeAsync(key);
            // Stream through the references of this id; only the first is kept for the report.
            AssetReference? first = null;
            long count = 0;
            while (references.HasCurrent && references.CurrentKey == key)
            {
                first ??= AssetReference.Deserialize(references.Current.Value);
                count++;
                await references.TakeOneAsync();
            }

            await onGroup(new AssetGroup(key, listed.FirstOrDefault(), first, count));
        }
    }

    public ValueTask DisposeAsync() => _references.DisposeAsync();
}
