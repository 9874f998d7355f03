using Amazon.S3;
using Amazon.S3.Model;
using DbIntegrity.Core.Configuration;
using DbIntegrity.Core.Storage;

namespace DbIntegrity.IntegrationTests.Infrastructure;

/// <summary>A uniquely named bucket on the test S3 endpoint. Emptied and deleted on dispose.</summary>
public sealed class TestBucket : IAsyncDisposable
{
    private readonly IAmazonS3 _client;

    private TestBucket(IAmazonS3 client, StorageSettings settings)
    {
        _client = client;
        Settings = settings;
        Store = new S3ObjectStore(client, settings.RequireS3().Bucket, settings.Describe());
    }

    public StorageSettings Settings { get; }

    public S3ObjectStore Store { get; }

    public string Name => Settings.RequireS3().Bucket;

    public static async Task<TestBucket> CreateAsync(CancellationToken cancellationToken = default)
    {
        var name = "dbi-test-" + Guid.NewGuid().ToString("N")[..12];
        var settings = StorageSettings.FromDaemonVariables(TestServices.Environment.With(new Dictionary<string, string?> { ["PLUGIN_STORAGE_OSS_BUCKET"] = name }));
        var client = S3ClientFactory.Create(settings);
        await client.PutBucketAsync(new PutBucketRequest { BucketName = name }, cancellationToken);
        return new TestBucket(client, settings);
    }

    /// <summary>The daemon variables with PLUGIN_STORAGE_OSS_BUCKET pointing here, for in-process CLI runs.</summary>
    public IReadOnlyDictionary<string, string?> Variables => new Dictionary<string, string?> { ["PLUGIN_STORAGE_OSS_BUCKET"] = Name };

    public async Task<IReadOnlyList<string>> KeysAsync(string prefix = "", CancellationToken cancellationToken = default)
    {
        var keys = new List<string>();
        await foreach (var entry in Store.ListAsync(prefix, cancellationToken))
        {
            keys.Add(entry.Key);
        }

        return keys;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var key in await KeysAsync())
        {
            await Store.DeleteAsync(key, CancellationToken.None);
        }

        await _client.DeleteBucketAsync(Name);
        _client.Dispose();
    }
}
