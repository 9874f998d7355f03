using DbIntegrity.Core.Configuration;

namespace DbIntegrity.Core.Storage;

/// <summary>
/// The one place that turns <see cref="StorageSettings"/> into a store: one arm per <see cref="StorageKind"/>. No
/// command names a store class. The caller disposes the store.
/// </summary>
public static class ObjectStoreFactory
{
    public static IBucketStore Open(StorageSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings.Kind switch
        {
            StorageKind.S3 => S3ObjectStore.Create(settings),
            StorageKind.Local => LocalObjectStore.Create(settings.RequireLocal()),
            StorageKind.Azure => AzureBlobObjectStore.Create(settings.RequireAzure()),
            _ => throw new ConfigurationException($"No store for storage kind {settings.Kind}: set PLUGIN_STORAGE_TYPE to a supported value."),
        };
    }

    /// <summary>
    /// The error of a store that has no other buckets (local storage has one folder; an Azure store is one container):
    /// backups then go under a prefix beside the daemon's (the default <c>dbintegrity-backups</c>).
    /// </summary>
    internal static ConfigurationException NoOtherBuckets(string description) =>
        new($"{description} has no other buckets: give the backup location as a prefix (for example dbintegrity-backups), which is written beside the daemon's prefixes.");
}
