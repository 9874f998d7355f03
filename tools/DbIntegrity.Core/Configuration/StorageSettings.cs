namespace DbIntegrity.Core.Configuration;

/// <summary>
/// Where the daemon's objects are: an S3 or S3-compatible bucket (reference §3.1). <see cref="ToString"/> never
/// includes the secret key.
/// </summary>
public sealed record StorageSettings
{
    public required string Bucket { get; init; }

    /// <summary><c>S3_ENDPOINT</c>; null for AWS itself.</summary>
    public Uri? Endpoint { get; init; }

    /// <summary><c>S3_USE_PATH_STYLE</c> (daemon default true).</summary>
    public bool UsePathStyle { get; init; } = true;

    public string Region { get; init; } = "us-east-1";

    /// <summary><c>AWS_ACCESS_KEY</c>; with <see cref="SecretKey"/>, static credentials. Otherwise the standard chain.</summary>
    public string? AccessKey { get; init; }

    /// <summary>Never print it.</summary>
    public string? SecretKey { get; init; }

    /// <summary><c>S3_USE_AWS_MANAGED_IAM</c>: ignore static keys and use the standard AWS credential chain.</summary>
    public bool UseManagedIdentity { get; init; }

    public StorageLayout Layout { get; init; } = StorageLayout.Default;

    /// <summary>Per-request timeout; a request past it fails the scan (exit 3), never a silent skip.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(60);

    public bool HasStaticCredentials => !UseManagedIdentity && AccessKey is not null && SecretKey is not null;

    /// <summary>
    /// Reads <c>PLUGIN_STORAGE_TYPE</c>, <c>PLUGIN_STORAGE_OSS_BUCKET</c>, <c>S3_ENDPOINT</c>, <c>S3_USE_PATH_STYLE</c>,
    /// <c>AWS_ACCESS_KEY</c>, <c>AWS_SECRET_KEY</c>, <c>AWS_REGION</c>, <c>S3_USE_AWS_MANAGED_IAM</c> and the prefixes.
    /// </summary>
    public static StorageSettings FromDaemonVariables(SettingsSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var type = source.Get("PLUGIN_STORAGE_TYPE");
        if (type is not null && type is not ("s3" or "aws_s3" or "aws-s3"))
        {
            throw new ConfigurationException(
                $"PLUGIN_STORAGE_TYPE={type} is not supported: dbintegrity reads S3 and S3-compatible storage (PLUGIN_STORAGE_TYPE=s3).");
        }

        var bucket = source.Get("PLUGIN_STORAGE_OSS_BUCKET") ?? throw new ConfigurationException(
            "No bucket configured: set PLUGIN_STORAGE_OSS_BUCKET (and S3_ENDPOINT, AWS_ACCESS_KEY, AWS_SECRET_KEY, AWS_REGION for "
            + "S3-compatible storage) as for the plugin daemon, or pass --bucket.");

        var layout = StorageLayout.FromDaemonVariables(source);
        layout.Validate();
        return new StorageSettings
        {
            Bucket = bucket,
            Endpoint = ParseEndpoint(source.Get("S3_ENDPOINT")),
            UsePathStyle = source.GetBool("S3_USE_PATH_STYLE", true),
            Region = source.Get("AWS_REGION") ?? "us-east-1",
            AccessKey = source.Get("AWS_ACCESS_KEY"),
            SecretKey = source.Get("AWS_SECRET_KEY"),
            UseManagedIdentity = source.GetBool("S3_USE_AWS_MANAGED_IAM", false),
            Layout = layout,
        };
    }

    public static Uri? ParseEndpoint(string? value)
    {
        if (value is null)
        {
            return null;
        }

        // A bare host:port would be taken as https, and a plain-HTTP store (MinIO, LocalStack) then fails with a TLS
        // error that names neither the variable nor the cause: ask for the scheme instead.
        if (!value.Contains("://", StringComparison.Ordinal))
        {
            throw new ConfigurationException(
                "S3_ENDPOINT (or --s3-endpoint) has no scheme: write it as http://host:port for a plain-HTTP store (MinIO, LocalStack) or https://host:port. "
                + "Its value is not printed: it may hold credentials.");
        }

        return Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw new ConfigurationException($"S3_ENDPOINT is not a URL (its value is not printed: it may hold credentials): use http(s)://host:port.");
    }

    /// <summary>The password of an <c>S3_ENDPOINT</c> written as <c>http://user:password@host</c>, to redact it. Never print it.</summary>
    public string? EndpointPassword =>
        Endpoint?.UserInfo.Split(':', 2) is [_, var password] && password.Length > 0 ? Uri.UnescapeDataString(password) : null;

    /// <summary><c>s3://bucket</c> and the endpoint, without credentials (Uri.Authority leaves out <c>user:password@</c>).</summary>
    public string Describe() => Endpoint is null ? $"s3://{Bucket} ({Region})" : $"s3://{Bucket} at {Endpoint.Scheme}://{Endpoint.Authority}";

    public override string ToString() => Describe();
}
