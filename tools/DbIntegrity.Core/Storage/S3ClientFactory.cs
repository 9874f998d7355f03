using Amazon.Runtime;
using Amazon.S3;
using DbIntegrity.Core.Configuration;

namespace DbIntegrity.Core.Storage;

/// <summary>Builds the AWS SDK client the way the daemon's cloud-kit configures its own (reference §3.1).</summary>
public static class S3ClientFactory
{
    public static IAmazonS3 Create(StorageSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return Create(settings.RequireS3(), settings.RequestTimeout);
    }

    public static IAmazonS3 Create(S3StorageSettings settings, TimeSpan requestTimeout)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var config = new AmazonS3Config
        {
            ForcePathStyle = settings.UsePathStyle,
            Timeout = requestTimeout,
            MaxErrorRetry = 3,
            // S3-compatible endpoints often reject the SDK v4 default of sending CRC checksums on every request.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        if (settings.Endpoint is { } endpoint)
        {
            config.ServiceURL = endpoint.ToString();
            config.AuthenticationRegion = settings.Region;
        }
        else
        {
            config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(settings.Region);
        }

        return settings.HasStaticCredentials
            ? new AmazonS3Client(new BasicAWSCredentials(settings.AccessKey, settings.SecretKey), config)
            : new AmazonS3Client(config);
    }
}
