using System.Runtime.CompilerServices;
using DbIntegrity.Core.Configuration;
using DbIntegrity.Core.Storage;

namespace DbIntegrity.Benchmarks;

/// <summary>
/// The listing a consistent bucket of the synthetic deployment would return, computed on the fly in pages of 1,000
/// (nothing is held in memory), so the engine's own time and memory can be measured without an S3 emulator's cost.
/// Used only by the benchmark's engine mode; the end-to-end mode lists a real bucket. With <c>packagesWiped</c>, the
/// bucket has lost <c>plugin_packages/</c> (the incident of issue 13): nothing is listed or found there.
/// </summary>
internal sealed class SyntheticListing(int identifiers, IReadOnlyList<string> assetIds, bool packagesWiped = false) : IObjectReader
{
    private static readonly DateTimeOffset Written = DateTimeOffset.UtcNow.AddHours(-1);

    public string Description => "synthetic listing (benchmark engine mode)";

    public async IAsyncEnumerable<StoredObject> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var layout = StorageLayout.Default;
        IEnumerable<string> keys = prefix == StorageLayout.ListingPrefix(layout.MediaPath)
            ? assetIds.Order(StringComparer.Ordinal).Select(layout.AssetKey)
            : prefix == StorageLayout.ListingPrefix(layout.PackagePath) && !packagesWiped
                ? SyntheticDeployment.Identifiers(identifiers).Select(layout.PackageKey)
                : prefix == StorageLayout.ListingPrefix(layout.InstalledPath)
                    ? SyntheticDeployment.Identifiers(identifiers).Select(layout.InstalledKey)
                    : [];
        var count = 0;
        foreach (var key in keys)
        {
            if (++count % 1000 == 0)
            {
                await Task.Yield();
            }

            yield return new StoredObject(key, 1, Written, "\"x\"");
        }
    }

    public Task<StoredObject?> HeadAsync(string key, CancellationToken cancellationToken) =>
        Task.FromResult<StoredObject?>(packagesWiped && key.StartsWith(StorageLayout.ListingPrefix(StorageLayout.Default.PackagePath), StringComparison.Ordinal)
            ? null
            : new StoredObject(key, 1, Written, "\"x\""));

    public Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken) =>
        throw new NotSupportedException("The engine mode does not run --deep.");
}
