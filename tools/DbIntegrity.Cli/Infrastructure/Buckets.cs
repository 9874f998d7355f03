using DbIntegrity.Core.Storage;

namespace DbIntegrity.Cli.Infrastructure;

/// <summary>Other buckets on the daemon's endpoint, with the same credentials (backups may live in a second bucket).</summary>
internal static class Buckets
{
    /// <summary>Stores for other buckets; errors about such a bucket name <paramref name="setting"/> (the flag that named it).</summary>
    public static Func<string, IObjectStore> On(S3ObjectStore store, string? setting = null) =>
        bucket => bucket == store.Bucket ? store : store.ForBucket(bucket, setting);
}
