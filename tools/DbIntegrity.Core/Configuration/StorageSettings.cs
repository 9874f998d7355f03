namespace DbIntegrity.Core.Configuration;

/// <summary>Which kind of store the daemon writes to (<c>PLUGIN_STORAGE_TYPE</c>, reference §3.1 and §8.4).</summary>
public enum StorageKind
{
    /// <summary>S3 or an S3-compatible endpoint (<c>s3</c>, <c>aws_s3</c>, <c>aws-s3</c>).</summary>
    S3,

    /// <summary>A folder on a file system (<c>local</c>, <c>local_file</c>): keys are paths under the root.</summary>
    Local,

    /// <summary>An Azure Blob container (<c>azure_blob</c>, <c>azure</c>).</summary>
    Azure,
}

/// <summary>
/// Where the daemon's objects are: a kind and the settings of that kind (exactly one of <see cref="S3"/>,
/// <see cref="Local"/>, <see cref="Azure"/> is set, the one <see cref="Kind"/> names; the S3-compatible clouds are
/// <see cref="StorageKind.S3"/>, see <see cref="S3CompatibleClouds"/>), plus what every kind shares (the key prefixes, the
/// request timeout). <see cref="ToString"/> never includes a secret.
/// </summary>
public sealed record StorageSettings
{
    public StorageKind Kind { get; init; } = StorageKind.S3;

    /// <summary>Set when <see cref="Kind"/> is <see cref="StorageKind.S3"/>.</summary>
    public S3StorageSettings? S3 { get; init; }

    /// <summary>Set when <see cref="Kind"/> is <see cref="StorageKind.Local"/>.</summary>
    public LocalStorageSettings? Local { get; init; }

    /// <summary>Set when <see cref="Kind"/> is <see cref="StorageKind.Azure"/>.</summary>
    public AzureBlobSettings? Azure { get; init; }

    public StorageLayout Layout { get; init; } = StorageLayout.Default;

    /// <summary>Per-request timeout; a request past it fails the scan (exit 3), never a silent skip.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Every secret these settings hold, to register with the redactor. Never print them.</summary>
    public IEnumerable<string?> Secrets => Kind switch
    {
        StorageKind.S3 => [S3?.SecretKey, S3?.EndpointPassword],
        StorageKind.Azure => [.. AzureBlobSettings.SecretsOf(Azure?.ConnectionString)],
        _ => [],
    };

    /// <summary>The S3 part, or a configuration error when the settings are of another kind.</summary>
    public S3StorageSettings RequireS3() =>
        Kind == StorageKind.S3 && S3 is { } s3 ? s3 : throw new ConfigurationException($"This needs S3 storage, but PLUGIN_STORAGE_TYPE is {Kind.ToString().ToLowerInvariant()}.");

    /// <summary>The local part, or a configuration error when the settings are of another kind.</summary>
    public LocalStorageSettings RequireLocal() =>
        Kind == StorageKind.Local && Local is { } local ? local : throw new ConfigurationException($"This needs local storage, but PLUGIN_STORAGE_TYPE is {Kind.ToString().ToLowerInvariant()}.");

    /// <summary>The Azure part, or a configuration error when the settings are of another kind.</summary>
    public AzureBlobSettings RequireAzure() =>
        Kind == StorageKind.Azure && Azure is { } azure ? azure : throw new ConfigurationException($"This needs Azure Blob storage, but PLUGIN_STORAGE_TYPE is {Kind.ToString().ToLowerInvariant()}.");

    /// <summary>
    /// Reads <c>PLUGIN_STORAGE_TYPE</c> (the daemon's default is <c>local</c>; unset here means S3 when a bucket is
    /// configured, for compatibility with earlier versions of this tool, else local), the variables of that kind and
    /// the prefixes.
    /// </summary>
    public static StorageSettings FromDaemonVariables(SettingsSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var type = source.Get("PLUGIN_STORAGE_TYPE");
        if (S3CompatibleClouds.ProviderOf(type) is { } provider)
        {
            return S3CompatibleClouds.ToStorageSettings(provider, source, StorageLayout.FromDaemonVariables(source));
        }

        var kind = type switch
        {
            null => source.Get("PLUGIN_STORAGE_OSS_BUCKET") is null && source.Get("PLUGIN_STORAGE_LOCAL_ROOT") is not null ? StorageKind.Local : StorageKind.S3,
            "s3" or "aws_s3" or "aws-s3" => StorageKind.S3,
            "local" or "local_file" => StorageKind.Local,
            "azure" or "azure_blob" => StorageKind.Azure,
            _ => throw new ConfigurationException(
                $"PLUGIN_STORAGE_TYPE={type} is not supported: dbintegrity reads S3 and S3-compatible storage (PLUGIN_STORAGE_TYPE=s3, aliyun_oss, "
                + "tencent_cos, huawei_obs, volcengine_tos, gcs), Azure Blob (azure_blob) and local storage (PLUGIN_STORAGE_TYPE=local)."),
        };

        var layout = StorageLayout.FromDaemonVariables(source);
        layout.Validate();
        return kind switch
        {
            StorageKind.Local => new StorageSettings { Kind = kind, Local = LocalStorageSettings.FromDaemonVariables(source), Layout = layout },
            StorageKind.Azure => new StorageSettings { Kind = kind, Azure = AzureBlobSettings.FromDaemonVariables(source), Layout = layout },
            _ => new StorageSettings { Kind = kind, S3 = S3StorageSettings.FromDaemonVariables(source), Layout = layout },
        };
    }

    /// <summary>The store, without credentials.</summary>
    public string Describe() => Kind switch
    {
        StorageKind.S3 => RequireS3().Describe(),
        StorageKind.Local => RequireLocal().Describe(),
        StorageKind.Azure => RequireAzure().Describe(),
        _ => Kind.ToString(),
    };

    public override string ToString() => Describe();
}
