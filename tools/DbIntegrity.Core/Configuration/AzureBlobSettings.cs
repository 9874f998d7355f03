namespace DbIntegrity.Core.Configuration;

/// <summary>
/// Where the daemon's objects are when <c>PLUGIN_STORAGE_TYPE=azure_blob</c> (or <c>azure</c>): one container, reached
/// with a connection string or, with managed identity, an account URL. The variables are the daemon's own
/// (dify-plugin-daemon <c>internal/types/app/config.go</c>, passed as-is to dify-cloud-kit <c>oss/azureblob/blob.go</c>,
/// reference §8.4). <see cref="ToString"/> never includes the connection string: it holds the account key.
/// </summary>
public sealed record AzureBlobSettings
{
    public const string ContainerVariable = "AZURE_BLOB_STORAGE_CONTAINER_NAME";
    public const string ConnectionStringVariable = "AZURE_BLOB_STORAGE_CONNECTION_STRING";
    public const string AccountUrlVariable = "AZURE_BLOB_STORAGE_ACCOUNT_URL";
    public const string ManagedIdentityVariable = "AZURE_BLOB_STORAGE_USE_MANAGED_IDENTITY";

    public required string ContainerName { get; init; }

    /// <summary>A secret (it holds <c>AccountKey=</c> or a SAS): never print it.</summary>
    public string? ConnectionString { get; init; }

    /// <summary><c>https://&lt;account&gt;.blob.core.windows.net/</c>, used with <see cref="UseManagedIdentity"/>.</summary>
    public Uri? AccountUrl { get; init; }

    /// <summary>Authenticate with DefaultAzureCredential (managed identity, workload identity, Azure CLI, …) at <see cref="AccountUrl"/>.</summary>
    public bool UseManagedIdentity { get; init; }

    /// <summary>Per-request timeout; a request past it fails the scan (exit 3), never a silent skip.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The daemon's rules (cloud-kit <c>oss/oss.go</c> <c>AzureBlob.Validate</c>), with a message that says what to set.</summary>
    public static AzureBlobSettings FromDaemonVariables(SettingsSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var container = source.Get(ContainerVariable) ?? throw new ConfigurationException(
            $"PLUGIN_STORAGE_TYPE=azure_blob needs {ContainerVariable} (the container the daemon writes to), as for the plugin daemon.");
        var useManagedIdentity = source.GetBool(ManagedIdentityVariable, false);
        if (useManagedIdentity)
        {
            var url = source.Get(AccountUrlVariable) ?? throw new ConfigurationException(
                $"{ManagedIdentityVariable}=true needs {AccountUrlVariable}, e.g. https://<account>.blob.core.windows.net/.");
            return new AzureBlobSettings { ContainerName = container, AccountUrl = ParseAccountUrl(url), UseManagedIdentity = true };
        }

        var connectionString = source.Get(ConnectionStringVariable) ?? throw new ConfigurationException(
            $"PLUGIN_STORAGE_TYPE=azure_blob needs {ConnectionStringVariable}, or {AccountUrlVariable} with {ManagedIdentityVariable}=true, as for the plugin daemon.");
        return new AzureBlobSettings { ContainerName = container, ConnectionString = connectionString };
    }

    /// <summary>
    /// The secret parts of a connection string (<c>AccountKey</c>, <c>SharedAccessSignature</c>) and the whole string,
    /// for the redactor: a driver error may echo any of them.
    /// </summary>
    public static IEnumerable<string> SecretsOf(string? connectionString)
    {
        if (string.IsNullOrEmpty(connectionString))
        {
            yield break;
        }

        yield return connectionString;
        foreach (var part in connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0 && part[..eq].Trim() is var name
                && (name.Equals("AccountKey", StringComparison.OrdinalIgnoreCase) || name.Equals("SharedAccessSignature", StringComparison.OrdinalIgnoreCase))
                && part[(eq + 1)..] is { Length: > 0 } value)
            {
                yield return value;
            }
        }
    }

    private static Uri ParseAccountUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw new ConfigurationException($"{AccountUrlVariable} is not a URL: use https://<account>.blob.core.windows.net/.");

    /// <summary><c>azure://container</c> and the account URL or "connection string", without credentials.</summary>
    public string Describe() => AccountUrl is { } url
        ? $"azure://{ContainerName} at {url.Scheme}://{url.Authority}{url.AbsolutePath.TrimEnd('/')}"
        : $"azure://{ContainerName} (from {ConnectionStringVariable})";

    public override string ToString() => Describe();
}
