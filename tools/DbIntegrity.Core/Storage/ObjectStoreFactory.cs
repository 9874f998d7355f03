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
            _ => throw new ConfigurationException($"Storage kind {settings.Kind} has no store: set PLUGIN_STORAGE_TYPE to a supported value."),
        };
    }
}
