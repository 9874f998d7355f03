using DbIntegrity.Core.Configuration;

namespace DbIntegrity.Core.Storage;

/// <summary>The one place that turns <see cref="StorageSettings"/> into a store: one arm per <see cref="StorageKind"/>.</summary>
public static class ObjectStoreFactory
{
    public static IBucketStore Open(StorageSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings.Kind switch
        {
            StorageKind.S3 => S3ObjectStore.Create(settings),
            StorageKind.Azure => AzureBlobObjectStore.Create(settings.RequireAzure()),
            _ => throw new ConfigurationException(
                $"PLUGIN_STORAGE_TYPE={settings.Kind.ToString().ToLowerInvariant()} has no store in this build yet: use S3 or S3-compatible storage, or Azure Blob."),
        };
    }
}
