using DbIntegrity.Core.Storage;

namespace DbIntegrity.Cli.Infrastructure;

/// <summary>Other buckets on the daemon's endpoint, with the same credentials (backups may live in a second bucket).</summary>
internal static class Buckets
{
    public static Func<string, IObjectStore> On(IObjectStore store) => ObjectStoreFactory.OtherBuckets(store);
}
