using System.Text.RegularExpressions;
using DbIntegrity.Core.Wording;

namespace DbIntegrity.Core.Configuration;

/// <summary>
/// Reaches the clouds the daemon talks to through their own SDKs (Aliyun OSS, Tencent COS, Huawei OBS, Volcengine TOS,
/// Google Cloud Storage) through their S3-compatible endpoints instead, from the daemon's own variables
/// (dify-plugin-daemon <c>internal/types/app/config.go</c>, passed by <c>internal/server/server.go</c> to dify-cloud-kit
/// <c>oss/factory/factory.go</c>; docs/daemon/storage.md#settings, docs/daemon/storage.md#stores). An explicit <c>S3_ENDPOINT</c> (or <c>--s3-endpoint</c>) with
/// <c>AWS_REGION</c> replaces the derived endpoint and region, for custom domains and private endpoints.
/// </summary>
internal static partial class S3CompatibleClouds
{
    private const string Bucket = "PLUGIN_STORAGE_OSS_BUCKET";

    /// <summary>The tool's own variables for GCS: GCS_CREDENTIALS is a service-account JSON, which S3 SigV4 cannot use.</summary>
    public const string GcsHmacAccessKeyVariable = "DBINTEGRITY_GCS_HMAC_ACCESS_KEY";

    public const string GcsHmacSecretVariable = "DBINTEGRITY_GCS_HMAC_SECRET";

    /// <summary>Variables whose values are secrets, for the redactor (the daemon's names and the tool's GCS HMAC secret).</summary>
    public static IReadOnlyList<string> SecretVariables { get; } =
    [
        "ALIYUN_OSS_ACCESS_KEY_SECRET", "TENCENT_COS_SECRET_KEY", "HUAWEI_OBS_SECRET_KEY", "VOLCENGINE_TOS_SECRET_KEY",
        "BAIDU_BOS_SECRET_KEY", "GCS_CREDENTIALS", GcsHmacSecretVariable,
    ];

    /// <summary>The provider a <c>PLUGIN_STORAGE_TYPE</c> names (cloud-kit's factory accepts both spellings), or null when it is not one of these.</summary>
    public static string? ProviderOf(string? type) => type?.ToLowerInvariant() switch
    {
        "aliyun" or "aliyun_oss" => "aliyun_oss",
        "tencent" or "tencent_cos" => "tencent_cos",
        "huawei" or "huawei_obs" => "huawei_obs",
        "volcengine" or "volcengine_tos" => "volcengine_tos",
        "gcs" or "google_storage" => "gcs",
        "baidu_bos" => "baidu_bos",
        _ => null,
    };

    /// <summary>S3 settings that reach the provider's bucket, with the daemon's key layout (and <c>ALIYUN_OSS_PATH</c> for Aliyun).</summary>
    public static StorageSettings ToStorageSettings(string provider, SettingsSource source, StorageLayout layout)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(layout);
        var (s3, keyLayout) = provider switch
        {
            "aliyun_oss" => Aliyun(source, layout),
            "tencent_cos" => Tencent(source, layout),
            "huawei_obs" => Huawei(source, layout),
            "volcengine_tos" => Volcengine(source, layout),
            "gcs" => Gcs(source, layout),
            "baidu_bos" => throw new ConfigurationException(
                "PLUGIN_STORAGE_TYPE=baidu_bos is not supported (the daemon's own BOS client was not mapped or tested here). "
                + "BOS has an S3-compatible endpoint: set PLUGIN_STORAGE_TYPE=s3, S3_ENDPOINT=https://s3.<region>.bcebos.com, "
                + "S3_USE_PATH_STYLE=false, AWS_REGION=<region>, AWS_ACCESS_KEY and AWS_SECRET_KEY for dbintegrity only."),
            _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, "not an S3-compatible cloud"),
        };
        keyLayout.Validate();
        return new StorageSettings { Kind = StorageKind.S3, S3 = s3, Layout = keyLayout };
    }

    // oss/aliyun/aliyun.go: every key is path.Join(ALIYUN_OSS_PATH, key). OSS's S3 API lives on s3.oss-<region>.aliyuncs.com,
    // virtual-hosted style only, signed for the plain region id (cn-hangzhou).
    private static (S3StorageSettings, StorageLayout) Aliyun(SettingsSource source, StorageLayout layout)
    {
        const string name = "PLUGIN_STORAGE_TYPE=aliyun_oss";
        if (source.Get("ALIYUN_OSS_CLOUDBOX_ID") is not null)
        {
            throw new ConfigurationException(
                $"{name} with ALIYUN_OSS_CLOUDBOX_ID (OSS on CloudBox) cannot be reached through the S3 API here: unset it for dbintegrity "
                + "and set S3_ENDPOINT and AWS_REGION to the CloudBox's S3-compatible endpoint, if it has one.");
        }

        var (endpoint, region) = ExplicitEndpoint(source) ?? DeriveAliyun(source);
        var path = source.Get("ALIYUN_OSS_PATH")?.Trim('/');
        return (new S3StorageSettings
        {
            Bucket = Require(source, Bucket, name),
            Endpoint = endpoint,
            Region = region,
            UsePathStyle = false,
            AccessKey = Require(source, "ALIYUN_OSS_ACCESS_KEY_ID", name),
            SecretKey = Require(source, "ALIYUN_OSS_ACCESS_KEY_SECRET", name),
            ListingSkipsFolderMarkers = true,
        }, string.IsNullOrEmpty(path) ? layout : layout.Under("ALIYUN_OSS_PATH", path));
    }

    private static (Uri, string) DeriveAliyun(SettingsSource source)
    {
        var value = Require(source, "ALIYUN_OSS_ENDPOINT", "PLUGIN_STORAGE_TYPE=aliyun_oss");
        var endpoint = S3StorageSettings.ParseEndpoint(value, "ALIYUN_OSS_ENDPOINT");
        var match = AliyunHost().Match(endpoint.Host);
        if (!match.Success)
        {
            throw Unmapped("ALIYUN_OSS_ENDPOINT", "oss-<region>.aliyuncs.com", "https://s3.oss-<region>.aliyuncs.com");
        }

        var region = source.Get("ALIYUN_OSS_REGION") ?? match.Groups["region"].Value;
        var host = "s3." + (match.Groups["s3"].Success ? endpoint.Host[3..] : endpoint.Host);
        return (new UriBuilder(endpoint.Scheme, host, endpoint.IsDefaultPort ? -1 : endpoint.Port).Uri, region);
    }

    // oss/tencentcos/cos.go: TENCENT_COS_ENDPOINT is a bucket URL (default https://<bucket>.cos.<region>.myqcloud.com).
    // COS's S3 API is https://cos.<region>.myqcloud.com, virtual-hosted style, signed for the COS region (ap-guangzhou).
    private static (S3StorageSettings, StorageLayout) Tencent(SettingsSource source, StorageLayout layout)
    {
        const string name = "PLUGIN_STORAGE_TYPE=tencent_cos";
        var bucket = Require(source, Bucket, name);
        var region = Require(source, "TENCENT_COS_REGION", name);
        var explicitEndpoint = ExplicitEndpoint(source);
        Uri endpoint;
        if (explicitEndpoint is { } given)
        {
            (endpoint, region) = given;
        }
        else if (source.Get("TENCENT_COS_ENDPOINT") is { } value)
        {
            var bucketUrl = S3StorageSettings.ParseEndpoint(value, "TENCENT_COS_ENDPOINT");
            if (!bucketUrl.Host.StartsWith(bucket + ".cos.", StringComparison.OrdinalIgnoreCase) || !bucketUrl.Host.EndsWith(".myqcloud.com", StringComparison.OrdinalIgnoreCase))
            {
                throw Unmapped("TENCENT_COS_ENDPOINT", "<bucket>.cos.<region>.myqcloud.com", "https://cos.<region>.myqcloud.com");
            }

            endpoint = new UriBuilder(bucketUrl.Scheme, bucketUrl.Host[(bucket.Length + 1)..], bucketUrl.IsDefaultPort ? -1 : bucketUrl.Port).Uri;
        }
        else
        {
            endpoint = new Uri($"https://cos.{region}.myqcloud.com");
        }

        return (new S3StorageSettings
        {
            Bucket = bucket,
            Endpoint = endpoint,
            Region = region,
            UsePathStyle = false,
            AccessKey = Require(source, "TENCENT_COS_SECRET_ID", name),
            SecretKey = Require(source, "TENCENT_COS_SECRET_KEY", name),
        }, layout);
    }

    // oss/huaweiobs/obs.go: HUAWEI_OBS_SERVER is the regional endpoint (https://obs.<region>.myhuaweicloud.com), which
    // also answers the S3 API; HUAWEI_OBS_PATH_STYLE as the daemon reads it (default false).
    private static (S3StorageSettings, StorageLayout) Huawei(SettingsSource source, StorageLayout layout)
    {
        const string name = "PLUGIN_STORAGE_TYPE=huawei_obs";
        var (endpoint, region) = ExplicitEndpoint(source) ?? DeriveHuawei(source);
        return (new S3StorageSettings
        {
            Bucket = Require(source, Bucket, name),
            Endpoint = endpoint,
            Region = region,
            UsePathStyle = source.GetBool("HUAWEI_OBS_PATH_STYLE", false),
            AccessKey = Require(source, "HUAWEI_OBS_ACCESS_KEY", name),
            SecretKey = Require(source, "HUAWEI_OBS_SECRET_KEY", name),
        }, layout);
    }

    private static (Uri, string) DeriveHuawei(SettingsSource source)
    {
        var endpoint = S3StorageSettings.ParseEndpoint(Require(source, "HUAWEI_OBS_SERVER", "PLUGIN_STORAGE_TYPE=huawei_obs"), "HUAWEI_OBS_SERVER");
        var match = HuaweiHost().Match(endpoint.Host);
        return match.Success
            ? (endpoint, match.Groups["region"].Value)
            : throw Unmapped("HUAWEI_OBS_SERVER", "obs.<region>.myhuaweicloud.com", "https://obs.<region>.myhuaweicloud.com");
    }

    // oss/volcenginetos/tos.go: VOLCENGINE_TOS_ENDPOINT is the native endpoint (tos-<region>.volces.com); TOS answers the
    // S3 API on tos-s3-<region>.volces.com (ivolces.com inside Volcengine), virtual-hosted style only.
    private static (S3StorageSettings, StorageLayout) Volcengine(SettingsSource source, StorageLayout layout)
    {
        const string name = "PLUGIN_STORAGE_TYPE=volcengine_tos";
        var (endpoint, region) = ExplicitEndpoint(source) ?? DeriveVolcengine(source);
        return (new S3StorageSettings
        {
            Bucket = Require(source, Bucket, name),
            Endpoint = endpoint,
            Region = region,
            UsePathStyle = false,
            AccessKey = Require(source, "VOLCENGINE_TOS_ACCESS_KEY", name),
            SecretKey = Require(source, "VOLCENGINE_TOS_SECRET_KEY", name),
        }, layout);
    }

    private static (Uri, string) DeriveVolcengine(SettingsSource source)
    {
        const string name = "PLUGIN_STORAGE_TYPE=volcengine_tos";
        var endpoint = S3StorageSettings.ParseEndpoint(Require(source, "VOLCENGINE_TOS_ENDPOINT", name), "VOLCENGINE_TOS_ENDPOINT");
        var match = VolcengineHost().Match(endpoint.Host);
        if (!match.Success)
        {
            throw Unmapped("VOLCENGINE_TOS_ENDPOINT", "tos-<region>.volces.com", "https://tos-s3-<region>.volces.com");
        }

        var host = match.Groups["s3"].Success ? endpoint.Host : "tos-s3-" + endpoint.Host[4..];
        var region = source.Get("VOLCENGINE_TOS_REGION") ?? match.Groups["region"].Value;
        return (new UriBuilder(endpoint.Scheme, host, endpoint.IsDefaultPort ? -1 : endpoint.Port).Uri, region);
    }

    // oss/gcsblob/gcs.go authenticates with GCS_CREDENTIALS (a base64 service-account JSON) or ADC. GCS's
    // S3-interoperable XML API (https://storage.googleapis.com) signs with HMAC keys only.
    private static (S3StorageSettings, StorageLayout) Gcs(SettingsSource source, StorageLayout layout)
    {
        var accessKey = source.Get(GcsHmacAccessKeyVariable);
        var secret = source.Get(GcsHmacSecretVariable);
        if (accessKey is null || secret is null)
        {
            throw new ConfigurationException(
                "PLUGIN_STORAGE_TYPE=gcs is read through GCS's S3-compatible XML API, which cannot sign with GCS_CREDENTIALS (a service-account JSON): "
                + $"create an HMAC key for that service account (Cloud Storage > Settings > Interoperability) and set {GcsHmacAccessKeyVariable} and {GcsHmacSecretVariable}.");
        }

        var (endpoint, region) = ExplicitEndpoint(source) ?? (new Uri("https://storage.googleapis.com"), "auto");
        return (new S3StorageSettings
        {
            Bucket = Require(source, Bucket, "PLUGIN_STORAGE_TYPE=gcs"),
            Endpoint = endpoint,
            Region = region,
            UsePathStyle = true,
            AccessKey = accessKey,
            SecretKey = secret,
        }, layout);
    }

    private static (Uri, string)? ExplicitEndpoint(SettingsSource source) =>
        source.Get("S3_ENDPOINT") is { } value
            ? (S3StorageSettings.ParseEndpoint(value, "S3_ENDPOINT"), source.Get("AWS_REGION")
                ?? throw new ConfigurationException($"S3_ENDPOINT replaces the provider's derived S3 endpoint: set AWS_REGION (or {HostWords.Of(UserOption.Region)}) to the region it signs for too."))
            : null;

    private static string Require(SettingsSource source, string variable, string context) =>
        source.Get(variable) ?? throw new ConfigurationException($"{context} needs {variable}, as for the plugin daemon.");

    private static ConfigurationException Unmapped(string variable, string expected, string s3Form) =>
        new($"{variable} does not look like {expected}, so its S3-compatible endpoint cannot be derived (its value is not printed): "
            + $"set S3_ENDPOINT (e.g. {s3Form}) and AWS_REGION for dbintegrity.");

    [GeneratedRegex(@"^(?<s3>s3\.)?oss-(?<region>[a-z0-9-]+?)(-internal)?\.aliyuncs\.com$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AliyunHost();

    [GeneratedRegex(@"^obs\.(?<region>[a-z0-9-]+)\.myhuaweicloud\.com$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex HuaweiHost();

    [GeneratedRegex(@"^tos-(?<s3>s3-)?(?<region>[a-z0-9-]+)\.i?volces\.com$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex VolcengineHost();
}
