using DbIntegrity.Core.Configuration;
using DbIntegrity.Core.Storage;

namespace DbIntegrity.Core.Deployments;

/// <summary>
/// A <see cref="Deployments.Deployment"/> opened from settings: a data source and a store from
/// <see cref="ObjectStoreFactory"/>, both released on dispose.
/// </summary>
public sealed class DeploymentConnection : IAsyncDisposable
{
    private DeploymentConnection(Deployment deployment, IBucketStore store)
    {
        Deployment = deployment;
        Store = store;
    }

    public Deployment Deployment { get; }

    /// <summary>The daemon's store, and through <see cref="IBucketStore.ForBucket"/> the other buckets beside it.</summary>
    public IBucketStore Store { get; }

    /// <summary>Opens the database (as <paramref name="applicationName"/>) and the store.</summary>
    public static DeploymentConnection Open(DatabaseSettings database, StorageSettings storage, string applicationName)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(storage);
        var store = ObjectStoreFactory.Open(storage);
        try
        {
            return new DeploymentConnection(new Deployment(database.CreateDataSource(applicationName), store, storage.Layout), store);
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Deployment.Database.DisposeAsync();
        Store.Dispose();
    }
}
