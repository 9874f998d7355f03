using DbIntegrity.Core.Configuration;

namespace DbIntegrity.Core.Storage;

/// <summary>
/// The one place that turns storage settings into a store: one arm per <see cref="StorageKind"/>. No command names a
/// store class. The caller disposes the store.
/// </summary>
public static class ObjectStoreFactory
{
    public static IObjectStore Create(StorageSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings.Kind switch
        {
            StorageKind.S3 => S3ObjectStore.Create(settings),
            StorageKind.Local => LocalObjectStore.Create(settings.RequireLocal()),
            StorageKind.Azure => AzureBlobObjectStore.Create(settings.RequireAzure()),
            _ => throw new ConfigurationException($"No store for storage kind {settings.Kind}."),
        };
    }

    /// <summary>
    /// Another bucket on the same endpoint with the same credentials (backups may live in a second bucket). Local
    /// storage has one folder: backups go under a prefix beside the daemon's (the default <c>dbintegrity-backups</c>).
    /// </summary>
    public static Func<string, IObjectStore> OtherBuckets(IObjectStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        return bucket => bucket == store.Bucket ? store
            : store is S3ObjectStore s3 ? s3.ForBucket(bucket)
            : throw new ConfigurationException($"{store.Description} has no other buckets: give the backup location as a prefix (for example dbintegrity-backups), which is written under the storage folder beside the daemon's prefixes.");
    }
}
