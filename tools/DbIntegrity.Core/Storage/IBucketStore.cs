namespace DbIntegrity.Core.Storage;

/// <summary>
/// A store opened from <see cref="Configuration.StorageSettings"/> by <see cref="ObjectStoreFactory"/>: the daemon's
/// bucket, and the other buckets reachable with the same endpoint and credentials (backups may live in a second
/// bucket). Disposing it releases the client; stores returned by <see cref="ForBucket"/> share that client.
/// </summary>
public interface IBucketStore : IObjectStore, IDisposable
{
    /// <summary>
    /// Another bucket on the same endpoint with the same credentials; this store itself for its own bucket.
    /// <paramref name="setting"/> names where the bucket came from (e.g. <c>--to</c>), for errors about it.
    /// </summary>
    IObjectStore ForBucket(string bucket, string? setting = null);
}
