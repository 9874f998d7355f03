using DbIntegrity.Core.Wording;

namespace DbIntegrity.Core.Configuration;

/// <summary>
/// An S3 or S3-compatible bucket (docs/daemon/storage.md#settings). <see cref="ToString"/> never includes the secret key.
/// </summary>
public sealed record S3StorageSettings
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

    /// <summary>
    /// The daemon's client for this cloud leaves keys ending in '/' out of its listings (dify-cloud-kit
    /// <c>oss/aliyun/aliyun.go</c> <c>List</c>), so such a key is not a problem the daemon has: the listing skips it too.
    /// </summary>
    public bool ListingSkipsFolderMarkers { get; init; }

    public bool HasStaticCredentials => !UseManagedIdentity && AccessKey is not null && SecretKey is not null;

    /// <summary>
    /// Reads <c>PLUGIN_STORAGE_OSS_BUCKET</c>, <c>S3_ENDPOINT</c>, <c>S3_USE_PATH_STYLE</c>, <c>AWS_ACCESS_KEY</c>,
    /// <c>AWS_SECRET_KEY</c>, <c>AWS_REGION</c> and <c>S3_USE_AWS_MANAGED_IAM</c>.
    /// </summary>
    public static S3StorageSettings FromDaemonVariables(SettingsSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var bucket = source.Get("PLUGIN_STORAGE_OSS_BUCKET") ?? throw new ConfigurationException(
            "No bucket configured: set PLUGIN_STORAGE_OSS_BUCKET (and S3_ENDPOINT, AWS_ACCESS_KEY, AWS_SECRET_KEY, AWS_REGION for "
            + $"S3-compatible storage) as for the plugin daemon, or pass {HostWords.Of(UserOption.Bucket)}; for local storage set PLUGIN_STORAGE_TYPE=local and PLUGIN_STORAGE_LOCAL_ROOT (or {HostWords.Of(UserOption.LocalRoot)}).");

        return new S3StorageSettings
        {
            Bucket = bucket,
            Endpoint = ParseEndpoint(source.Get("S3_ENDPOINT")),
            UsePathStyle = source.GetBool("S3_USE_PATH_STYLE", true),
            Region = source.Get("AWS_REGION") ?? "us-east-1",
            AccessKey = source.Get("AWS_ACCESS_KEY"),
            SecretKey = source.Get("AWS_SECRET_KEY"),
            UseManagedIdentity = source.GetBool("S3_USE_AWS_MANAGED_IAM", false),
        };
    }

    /// <summary>
    /// <c>S3_ENDPOINT</c>. A bare host:port would be taken as https, and a plain-HTTP store (MinIO, LocalStack) then
    /// fails with a TLS error that names neither the variable nor the cause: the scheme is required here.
    /// </summary>
    public static Uri? ParseEndpoint(string? value) => value is null ? null
        : value.Contains("://", StringComparison.Ordinal) ? ParseEndpoint(value, "S3_ENDPOINT")
        : throw new ConfigurationException(
            $"S3_ENDPOINT (or {HostWords.Of(UserOption.S3Endpoint)}) has no scheme: write it as http://host:port for a plain-HTTP store (MinIO, LocalStack) or https://host:port. "
            + "Its value is not printed: it may hold credentials.");

    /// <summary>An endpoint URL from <paramref name="variable"/>; a bare host:port means https, as the AWS SDK and the clouds' SDKs assume.</summary>
    public static Uri ParseEndpoint(string value, string variable)
    {
        ArgumentNullException.ThrowIfNull(value);
        var text = value.Contains("://", StringComparison.Ordinal) ? value : "https://" + value;
        return Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw new ConfigurationException($"{variable} is not a URL (its value is not printed: it may hold credentials): use http(s)://host:port.");
    }

    /// <summary>The password of an <c>S3_ENDPOINT</c> written as <c>http://user:password@host</c>, to redact it. Never print it.</summary>
    public string? EndpointPassword =>
        Endpoint?.UserInfo.Split(':', 2) is [_, var password] && password.Length > 0 ? Uri.UnescapeDataString(password) : null;

    /// <summary><c>s3://bucket</c> and the endpoint, without credentials (Uri.Authority leaves out <c>user:password@</c>).</summary>
    public string Describe() => Endpoint is null ? $"s3://{Bucket} ({Region})" : $"s3://{Bucket} at {Endpoint.Scheme}://{Endpoint.Authority}";

    public override string ToString() => Describe();
}
