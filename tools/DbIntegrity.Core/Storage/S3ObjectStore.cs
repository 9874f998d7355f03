using System.Net;
using System.Runtime.CompilerServices;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using DbIntegrity.Core.Configuration;
using DbIntegrity.Core.Plugins;
using DbIntegrity.Core.Wording;

namespace DbIntegrity.Core.Storage;

/// <summary>One bucket on S3 or an S3-compatible endpoint (MinIO, LocalStack, Ceph RGW). The contract is IObjectReader's.</summary>
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
        return new S3ObjectStore(S3ClientFactory.Create(s3, settings.RequestTimeout), s3.Bucket, s3.Describe(), ownsClient: true)
        {
            SkipsFolderMarkers = s3.ListingSkipsFolderMarkers,
        };
    }

    /// <summary>The setting the bucket name came from, named in errors about the bucket (e.g. <c>--to</c> for a backup).</summary>
    public string BucketSetting { get; init; } = $"PLUGIN_STORAGE_OSS_BUCKET (or {HostWords.Of(UserOption.Bucket)})";

    /// <summary>The same endpoint and credentials, another bucket (backups can go to a second bucket), named by <paramref name="setting"/>.</summary>
    public S3ObjectStore ForBucket(string bucket, string? setting = null) =>
        new(_client, bucket, $"s3://{bucket}", ownsClient: false) { BucketSetting = setting ?? BucketSetting, SkipsFolderMarkers = SkipsFolderMarkers };

    /// <summary>Leave keys ending in '/' out of listings, as the daemon's own client does for some clouds (Aliyun).</summary>
    public bool SkipsFolderMarkers { get; init; }

    IObjectStore IBucketStore.ForBucket(string bucket, string? setting) => bucket == Bucket ? this : ForBucket(bucket, setting);

    public IAsyncEnumerable<StoredObject> ListAsync(string prefix, CancellationToken cancellationToken) => ListAsync(prefix, null, cancellationToken);

    /// <inheritdoc/>
    public bool SeeksInListing => true;

    public async IAsyncEnumerable<StoredObject> ListAsync(string prefix, string? startAfter, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var request = new ListObjectsV2Request { BucketName = Bucket, Prefix = prefix, MaxKeys = 1000, StartAfter = startAfter };
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
                if (SkipsFolderMarkers && entry.Key.EndsWith('/'))
                {
                    continue;
                }

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
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.Forbidden)
        {
            return await ListOneAsync(key, $"HEAD s3://{Bucket}/{key}", ex, cancellationToken);
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
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.Forbidden)
        {
            // Missing (the listing says so) is null; present but unreadable stays "access denied".
            return await ListOneAsync(key, $"GET s3://{Bucket}/{key}", ex, cancellationToken) is null
                ? null
                : throw Unavailable($"GET s3://{Bucket}/{key}", ex);
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

    public async Task<bool> PutAsync(string key, Stream content, WriteCondition condition, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var request = new PutObjectRequest { BucketName = Bucket, Key = key, InputStream = content, UseChunkEncoding = false, AutoCloseStream = false };
        switch (condition)
        {
            case WriteCondition.NoObject:
                request.IfNoneMatch = "*";
                break;
            case WriteCondition.SameETag same:
                // Unquoted: Ceph RGW compares If-Match byte for byte with its stored ETag, which has no quotes.
                request.IfMatch = same.ETag.Trim('"');
                break;
        }

        try
        {
            await _client.PutObjectAsync(request, cancellationToken);
            return true;
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.PreconditionFailed
            || (condition is WriteCondition.SameETag && ex.StatusCode == HttpStatusCode.NotFound))
        {
            return false;
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

    /// <summary>
    /// The object <paramref name="key"/> as a one-key listing sees it (prefix = the key, so the first entry, if any, is
    /// the key itself or sorts after it). S3 answers a HEAD or GET of a missing key with 403 instead of 404 when the
    /// caller may not s3:ListBucket for that request, and the documented read-only policy limits s3:ListBucket with an
    /// s3:prefix condition that a HEAD, which carries no prefix, never meets (docs/daemon/storage.md#s3-semantics). The listing carries
    /// s3:prefix, so under that policy it tells "missing" from "present"; if it is refused too, the original 403
    /// stands and the caller fails closed: a 403 alone never means "missing".
    /// </summary>
    private async Task<StoredObject?> ListOneAsync(string key, string action, AmazonS3Exception denied, CancellationToken cancellationToken)
    {
        ListObjectsV2Response response;
        try
        {
            response = await _client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket, Prefix = key, MaxKeys = 1 }, cancellationToken);
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.Forbidden)
        {
            throw Unavailable(action, denied);
        }
        catch (Exception ex) when (IsStorageFailure(ex, cancellationToken))
        {
            throw Unavailable($"listing s3://{Bucket}/{key} (after {action} was denied)", ex);
        }

        return response.S3Objects is [var first, ..] && string.Equals(first.Key, key, StringComparison.Ordinal)
            ? new StoredObject(first.Key, first.Size ?? 0, ToOffset(first.LastModified), first.ETag)
            : null;
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
            AmazonS3Exception s3 when s3.ErrorCode == "InvalidBucketName" || (s3.ErrorCode == "NoSuchBucket" && !BucketNames.IsValid(Bucket)) =>
                $"{Bucket} is not a valid bucket name (3 to 63 lower-case letters, digits, dots and hyphens, starting and ending with a letter or digit): check {BucketSetting}",
            AmazonS3Exception s3 when s3.ErrorCode == "NoSuchBucket" =>
                $"the bucket {Bucket} does not exist at this endpoint: check {BucketSetting} and S3_ENDPOINT",
            _ when IsUnparsableResponse(ex) =>
                $"the endpoint of {Description} sent a response that cannot be parsed ({(ex.InnerException ?? ex).GetType().Name}: {(ex.InnerException ?? ex).Message}); "
                + "it is not answering as S3 does: check S3_ENDPOINT and any proxy in front of it, then run again",
            AmazonServiceException service => $"{(int)service.StatusCode} {service.ErrorCode}: {service.Message}",
            OperationCanceledException or TimeoutException => "the request timed out",
            _ => ex.Message,
        };
        return new UnavailableException(Storage, $"S3 request failed, {action}: {reason}", ex);
    }

    // A 403 on a read reaches here only when the one-key listing was refused too: both grants are missing.
    private static string NeededFor(string action) =>
        action.StartsWith("PUT ", StringComparison.Ordinal) ? "s3:PutObject"
        : action.StartsWith("COPY ", StringComparison.Ordinal) ? "s3:PutObject (and s3:GetObject on the source)"
        : action.StartsWith("DELETE ", StringComparison.Ordinal) ? "s3:DeleteObject"
        : "s3:ListBucket and s3:GetObject";

    private static DateTimeOffset ToOffset(DateTime? value) =>
        value is { } time ? new DateTimeOffset(DateTime.SpecifyKind(time.ToUniversalTime(), DateTimeKind.Utc)) : DateTimeOffset.MinValue;
}
