using System.Net;
using System.Runtime.CompilerServices;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using DbIntegrity.Core.Configuration;
using DbIntegrity.Core.Plugins;

namespace DbIntegrity.Core.Storage;

/// <summary>One bucket on S3 or an S3-compatible endpoint (MinIO, LocalStack, s3rver). The contract is IObjectReader's.</summary>
public sealed class S3ObjectStore : IBucketStore
{
    private const string Storage = "storage";

    private readonly IAmazonS3 _client;
    private readonly bool _ownsClient;

    public S3ObjectStore(IAmazonS3 client, string bucket, string description, bool ownsClient = false)
    {
        _client = client;
        Bucket = bucket;
        Description = description;
        _ownsClient = ownsClient;
    }

    public string Bucket { get; }

    public string Description { get; }

    public static S3ObjectStore Create(StorageSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var s3 = settings.RequireS3();
        return new S3ObjectStore(S3ClientFactory.Create(s3, settings.RequestTimeout), s3.Bucket, s3.Describe(), ownsClient: true);
    }

    /// <summary>The same endpoint and credentials, another bucket (backups can go to a second bucket).</summary>
    public S3ObjectStore ForBucket(string bucket) => new(_client, bucket, $"s3://{bucket}", ownsClient: false);

    IObjectStore IBucketStore.ForBucket(string bucket) => bucket == Bucket ? this : ForBucket(bucket);

    public async IAsyncEnumerable<StoredObject> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var request = new ListObjectsV2Request { BucketName = Bucket, Prefix = prefix, MaxKeys = 1000 };
        string? previousKey = null;
        while (true)
        {
            ListObjectsV2Response response;
            try
            {
                response = await _client.ListObjectsV2Async(request, cancellationToken);
            }
            catch (Exception ex) when (IsStorageFailure(ex, cancellationToken))
            {
                throw Unavailable($"listing s3://{Bucket}/{prefix}", ex);
            }

            foreach (var entry in response.S3Objects ?? [])
            {
                // A listing that goes backwards would make a merge skip keys: refuse it rather than miss findings.
                if (previousKey is not null && Utf8Ordinal.Instance.Compare(previousKey, entry.Key) >= 0)
                {
                    throw new UnavailableException(Storage,
                        $"s3://{Bucket} listed \"{entry.Key}\" after \"{previousKey}\": the endpoint does not return keys in order, so the listing cannot be trusted.");
                }

                previousKey = entry.Key;
                yield return new StoredObject(entry.Key, entry.Size ?? 0, ToOffset(entry.LastModified), entry.ETag);
            }

            if (response.IsTruncated != true)
            {
                yield break;
            }

            if (string.IsNullOrEmpty(response.NextContinuationToken))
            {
                throw new UnavailableException(Storage,
                    $"s3://{Bucket}/{prefix}: the listing was truncated without a continuation token, so it cannot be completed.");
            }

            request.ContinuationToken = response.NextContinuationToken;
        }
    }

    public async Task<StoredObject?> HeadAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            var response = await _client.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = Bucket, Key = key }, cancellationToken);
            return new StoredObject(key, response.ContentLength, ToOffset(response.LastModified), response.ETag);
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        catch (Exception ex) when (IsStorageFailure(ex, cancellationToken))
        {
            throw Unavailable($"HEAD s3://{Bucket}/{key}", ex);
        }
    }

    public async Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            var response = await _client.GetObjectAsync(new GetObjectRequest { BucketName = Bucket, Key = key }, cancellationToken);
            return response.ResponseStream;
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        catch (Exception ex) when (IsStorageFailure(ex, cancellationToken))
        {
            throw Unavailable($"GET s3://{Bucket}/{key}", ex);
        }
    }

    public Task PutAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken) =>
        PutAsync(key, new MemoryStream(content.ToArray(), writable: false), cancellationToken);

    public async Task PutAsync(string key, Stream content, CancellationToken cancellationToken)
    {
        try
        {
            // Chunked (aws-chunked) uploads are stored undecoded by some S3-compatible servers (s3rver).
            await _client.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = key, InputStream = content, UseChunkEncoding = false, AutoCloseStream = false }, cancellationToken);
        }
        catch (Exception ex) when (IsStorageFailure(ex, cancellationToken))
        {
            throw Unavailable($"PUT s3://{Bucket}/{key}", ex);
        }
    }

    public async Task ReplaceAsync(string key, Stream content, StoredObject expected, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(expected);
        if (await HeadAsync(key, cancellationToken) is not { } current || current.ETag != expected.ETag || current.Size != expected.Size)
        {
            throw new UnavailableException(Storage, $"s3://{Bucket}/{key} changed since it was read (expected ETag {expected.ETag}, {expected.Size} bytes), so it was not replaced.");
        }

        await PutAsync(key, content, cancellationToken);
    }

    public async Task<bool> DeleteIfUnchangedAsync(string key, StoredObject expected, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(expected);
        if (await HeadAsync(key, cancellationToken) is not { } current)
        {
            return true;
        }

        if (current.ETag != expected.ETag || current.Size != expected.Size)
        {
            return false;
        }

        await DeleteAsync(key, cancellationToken);
        return true;
    }

    public async Task CopyAsync(string sourceBucket, string sourceKey, string destinationKey, CancellationToken cancellationToken)
    {
        try
        {
            await _client.CopyObjectAsync(
                new CopyObjectRequest { SourceBucket = sourceBucket, SourceKey = sourceKey, DestinationBucket = Bucket, DestinationKey = destinationKey },
                cancellationToken);
        }
        catch (Exception ex) when (IsStorageFailure(ex, cancellationToken))
        {
            throw Unavailable($"COPY s3://{sourceBucket}/{sourceKey} to s3://{Bucket}/{destinationKey}", ex);
        }
    }

    public async Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            await _client.DeleteObjectAsync(new DeleteObjectRequest { BucketName = Bucket, Key = key }, cancellationToken);
        }
        catch (Exception ex) when (IsStorageFailure(ex, cancellationToken))
        {
            throw Unavailable($"DELETE s3://{Bucket}/{key}", ex);
        }
    }

    public void Dispose()
    {
        if (_ownsClient)
        {
            _client.Dispose();
        }
    }

    /// <summary>True for an S3 or transport failure (a timeout included); false for the caller's own cancellation.</summary>
    internal static bool IsStorageFailure(Exception ex, CancellationToken cancellationToken) =>
        !(ex is OperationCanceledException && cancellationToken.IsCancellationRequested)
        && (ex is AmazonServiceException or AmazonClientException or HttpRequestException or IOException or TimeoutException or OperationCanceledException
            || IsUnparsableResponse(ex));

    // A response the SDK cannot read (a 200 with truncated XML, a bad date or number): its unmarshallers let the parser's
    // own exception through, so these are the endpoint's failure, not a bug here.
    private static bool IsUnparsableResponse(Exception ex) =>
        ex is System.Xml.XmlException or FormatException or InvalidDataException or OverflowException
        || ex.InnerException is System.Xml.XmlException or FormatException or InvalidDataException or OverflowException;

    private UnavailableException Unavailable(string action, Exception ex)
    {
        var reason = ex switch
        {
            AmazonS3Exception s3 when s3.StatusCode == HttpStatusCode.Forbidden =>
                $"access denied ({s3.ErrorCode}): the credentials need {NeededFor(action)} on {Bucket} (see docs/least-privilege.md)",
            AmazonS3Exception s3 when s3.ErrorCode == "NoSuchBucket" =>
                $"the bucket {Bucket} does not exist: check PLUGIN_STORAGE_OSS_BUCKET and S3_ENDPOINT",
            _ when IsUnparsableResponse(ex) =>
                $"the endpoint of {Description} sent a response that cannot be parsed ({(ex.InnerException ?? ex).GetType().Name}: {(ex.InnerException ?? ex).Message}); "
                + "it is not answering as S3 does: check S3_ENDPOINT and any proxy in front of it, then run again",
            AmazonServiceException service => $"{(int)service.StatusCode} {service.ErrorCode}: {service.Message}",
            OperationCanceledException or TimeoutException => "the request timed out",
            _ => ex.Message,
        };
        return new UnavailableException(Storage, $"S3 request failed, {action}: {reason}", ex);
    }

    // Reads need ListBucket too: without it S3 answers a HEAD of a missing key with 403 instead of 404.
    private static string NeededFor(string action) =>
        action.StartsWith("PUT ", StringComparison.Ordinal) ? "s3:PutObject"
        : action.StartsWith("COPY ", StringComparison.Ordinal) ? "s3:PutObject (and s3:GetObject on the source)"
        : action.StartsWith("DELETE ", StringComparison.Ordinal) ? "s3:DeleteObject"
        : "s3:ListBucket and s3:GetObject";

    private static DateTimeOffset ToOffset(DateTime? value) =>
        value is { } time ? new DateTimeOffset(DateTime.SpecifyKind(time.ToUniversalTime(), DateTimeKind.Utc)) : DateTimeOffset.MinValue;
}
