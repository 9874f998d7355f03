using Azure.Storage.Blobs;
using DbIntegrity.Core.Configuration;
using DbIntegrity.Core.Storage;

namespace DbIntegrity.IntegrationTests.Infrastructure;

/// <summary>
/// A uniquely named container on the test Azure Blob endpoint (Azurite), from <c>AZURE_BLOB_STORAGE_CONNECTION_STRING</c>
/// as <c>tools/local-services.sh env</c> exports it. Deleted with its blobs on dispose.
/// </summary>
public sealed class TestContainer : IAsyncDisposable
{
    private readonly BlobContainerClient _client;

    private TestContainer(AzureBlobSettings settings)
    {
        Settings = settings;
        Store = AzureBlobObjectStore.Create(settings);
        _client = new BlobServiceClient(settings.ConnectionString).GetBlobContainerClient(settings.ContainerName);
    }

    public AzureBlobSettings Settings { get; }

    public AzureBlobObjectStore Store { get; }

    public string Name => Settings.ContainerName;

    /// <summary>The connection string of the test endpoint; fails the test with what to run when it is not set.</summary>
    public static string ConnectionString =>
        TestServices.Environment.Get(AzureBlobSettings.ConnectionStringVariable)
        ?? throw new AssertionException(
            $"No Azure Blob endpoint for the Azure tests: set {AzureBlobSettings.ConnectionStringVariable} to Azurite's, "
            + "e.g. through tools/local-services.sh up && eval \"$(tools/local-services.sh env)\".");

    public static async Task<TestContainer> CreateAsync(CancellationToken cancellationToken = default)
    {
        var name = "dbi-test-" + Guid.NewGuid().ToString("N")[..12];
        var settings = AzureBlobSettings.FromDaemonVariables(new SettingsSource(new Dictionary<string, string>
        {
            [AzureBlobSettings.ContainerVariable] = name,
            [AzureBlobSettings.ConnectionStringVariable] = ConnectionString,
        }));
        var container = new TestContainer(settings);
        await container._client.CreateAsync(cancellationToken: cancellationToken);
        return container;
    }

    /// <summary>The daemon variables that point the CLI here, for in-process CLI runs.</summary>
    public IReadOnlyDictionary<string, string?> Variables => new Dictionary<string, string?>
    {
        ["PLUGIN_STORAGE_TYPE"] = "azure_blob",
        [AzureBlobSettings.ContainerVariable] = Name,
        [AzureBlobSettings.ConnectionStringVariable] = ConnectionString,
    };

    public async Task<IReadOnlyList<string>> KeysAsync(string prefix = "", CancellationToken cancellationToken = default)
    {
        var keys = new List<string>();
        await foreach (var entry in Store.ListAsync(prefix, cancellationToken))
        {
            keys.Add(entry.Key);
        }

        return keys;
    }

    public async ValueTask DisposeAsync() => await _client.DeleteIfExistsAsync();
}
