using System.Net;
using System.Runtime.CompilerServices;
using Azure;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using DbIntegrity.Core.Configuration;
using DbIntegrity.Core.Plugins;

namespace DbIntegrity.Core.Storage;

/// <summary>
/// One Azure Blob container (or Azurite), with the contract of <see cref="S3ObjectStore"/>: a flat listing checked to
/// come in UTF-8 byte order (Azure documents "lexicographic" order without naming the code units, so a listing that goes
/// backwards fails closed instead of making the merge skip keys), "not found" as null, every other failure an
/// <see cref="UnavailableException"/> naming the container and account, never the key. Writes never overwrite.
/// </summary>
public sealed class AzureBlobObjectStore : IBucketStore
{
    private const string Storage = "storage";
    private const int PageSize = 1000;

    private readonly BlobServiceClient _service;
    private readonly BlobContainerClient _container;

    public AzureBlobObjectStore(BlobServiceClient service, string containerName)
    {
        ArgumentNullException.ThrowIfNull(service);
        _service = service;
        _container = service.GetBlobContainerClient(containerName);
        Bucket = containerName;

        // GetLeftPart drops a SAS query string: the account URL alone is safe to print.
        Description = $"azure://{containerName} at {service.Uri.GetLeftPart(UriPartial.Path).TrimEnd('/')}";
    }

    /// <summary>The container name.</summary>
    public string Bucket { get; }

    public string Description { get; }

    public static AzureBlobObjectStore Create(AzureBlobSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var options = new BlobClientOptions();
        options.Retry.MaxRetries = 3;
        options.Retry.NetworkTimeout = settings.RequestTimeout;
        BlobServiceClient service;
        try
        {
            service = settings.UseManagedIdentity
                ? new BlobServiceClient(settings.AccountUrl, new DefaultAzureCredential(), options)
                : new BlobServiceClient(settings.ConnectionString, options);
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException)
        {
            // The SDK's message may quote the connection string: say which variable, not what it holds.
            throw new ConfigurationException(
                $"{AzureBlobSettings.ConnectionStringVariable} is not a valid Azure Storage connection string (its value is not printed): "
                + "use DefaultEndpointsProtocol=https;AccountName=…;AccountKey=…;EndpointSuffix=core.windows.net, or a BlobEndpoint=… form.");
        }

        return new AzureBlobObjectStore(service, settings.ContainerName);
    }

    /// <summary>Another container of the same account (backups can go to a second container).</summary>
    public AzureBlobObjectStore ForContainer(string containerName) => new(_service, containerName);

    IObjectStore IBucketStore.ForBucket(string bucket, string? setting) => bucket == Bucket ? this : ForContainer(bucket);

    /// <summary>The SDK's clients hold no unmanaged resources; nothing to release.</summary>
    public void Dispose()
    {
    }

    public async IAsyncEnumerable<StoredObject> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var pages = _container.GetBlobsAsync(new GetBlobsOptions { Prefix = prefix }, cancellationToken)
            .AsPages(continuationToken: null, pageSizeHint: PageSize)
            .GetAsyncEnumerator(cancellationToken);
        await using var _ = pages;
        string? previousKey = null;
        while (true)
        {
            try
            {
                if (!await pages.MoveNextAsync())
                {
                    yield break;
                }
            }
            catch (Exception ex) when (IsStorageFailure(ex, cancellationToken))
            {
                throw Unavailable($"listing {Bucket}/{prefix}", ex);
            }

            foreach (var item in pages.Current.Values)
            {
                if (previousKey is not null && Utf8Ordinal.Instance.Compare(previousKey, item.Name) >= 0)
                {
                    throw new UnavailableException(Storage,
                        $"{Description} listed \"{item.Name}\" after \"{previousKey}\": the service does not return names in UTF-8 byte order, so the listing cannot be trusted.");
                }

                previousKey = item.Name;
                var properties = item.Properties;
                yield return new StoredObject(item.Name, properties.ContentLength ?? 0, properties.LastModified ?? DateTimeOffset.MinValue, Quote(properties.ETag));
            }
        }
    }

    public async Task<StoredObject?> HeadAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            BlobProperties properties = await _container.GetBlobClient(key).GetPropertiesAsync(cancellationToken: cancellationToken);
            return new StoredObject(key, properties.ContentLength, properties.LastModified, Quote(properties.ETag));
        }
        catch (RequestFailedException ex) when (IsBlobNotFound(ex))
        {
            return null;
        }
        catch (Exception ex) when (IsStorageFailure(ex, cancellationToken))
        {
            throw Unavailable($"HEAD {Bucket}/{key}", ex);
        }
    }

    public async Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            BlobDownloadStreamingResult result = await _container.GetBlobClient(key).DownloadStreamingAsync(cancellationToken: cancellationToken);
            return result.Content;
        }
        catch (RequestFailedException ex) when (IsBlobNotFound(ex))
        {
            return null;
        }
        catch (Exception ex) when (IsStorageFailure(ex, cancellationToken))
        {
            throw Unavailable($"GET {Bucket}/{key}", ex);
        }
    }

    public Task PutAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken) =>
        PutAsync(key, new MemoryStream(content.ToArray(), writable: false), cancellationToken);

    /// <summary>
    /// Uploads a new blob; refuses (409 → <see cref="UnavailableException"/>) when one already has this name, unless it
    /// holds exactly these bytes (a content-addressed icon written twice changes nothing, as on a local folder).
    /// </summary>
    public async Task PutAsync(string key, Stream content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        var start = content.CanSeek ? content.Position : -1;
        try
        {
            await _container.GetBlobClient(key).UploadAsync(
                content,
                new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } },
                cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status is (int)HttpStatusCode.Conflict or (int)HttpStatusCode.PreconditionFailed && start >= 0)
        {
            content.Position = start;
            if (!await HoldsAsync(key, content, cancellationToken))
            {
                throw Unavailable($"PUT {Bucket}/{key}", ex);
            }
        }
        catch (Exception ex) when (IsStorageFailure(ex, cancellationToken))
        {
            throw Unavailable($"PUT {Bucket}/{key}", ex);
        }
    }

    /// <summary>Uploads only if <paramref name="condition"/> holds on the service (If-None-Match: * or If-Match); false when not.</summary>
    public async Task<bool> PutAsync(string key, Stream content, WriteCondition condition, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var conditions = condition switch
        {
            WriteCondition.SameETag same => new BlobRequestConditions { IfMatch = new ETag(same.ETag) },
            _ => new BlobRequestConditions { IfNoneMatch = ETag.All },
        };
        try
        {
            await _container.GetBlobClient(key).UploadAsync(content, new BlobUploadOptions { Conditions = conditions }, cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is (int)HttpStatusCode.PreconditionFailed or (int)HttpStatusCode.Conflict
            || (condition is WriteCondition.SameETag && ex.Status == (int)HttpStatusCode.NotFound))
        {
            return false;
        }
        catch (Exception ex) when (IsStorageFailure(ex, cancellationToken))
        {
            throw Unavailable($"PUT {Bucket}/{key}", ex);
        }
    }

    /// <summary>
    /// Replaces the blob only while it is still the version <paramref name="expected"/> (If-Match on its ETag, atomic on
    /// the service); otherwise throws <see cref="UnavailableException"/> and leaves it alone.
    /// </summary>
    public async Task ReplaceAsync(string key, Stream content, StoredObject expected, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(expected);
        if (expected.ETag is null)
        {
            throw new UnavailableException(Storage, $"{Description}: {key} has no recorded ETag, so it cannot be replaced safely.");
        }

        try
        {
            await _container.GetBlobClient(key).UploadAsync(
                content,
                new BlobUploadOptions { Conditions = new BlobRequestConditions { IfMatch = new ETag(expected.ETag) } },
                cancellationToken);
        }
        catch (Exception ex) when (IsStorageFailure(ex, cancellationToken))
        {
            throw Unavailable($"REPLACE {Bucket}/{key}", ex);
        }
    }

    /// <summary>
    /// Deletes the blob only while it is still the version <paramref name="expected"/> (If-Match on its ETag); false when
    /// it changed (it is kept), true when it was deleted or was already gone.
    /// </summary>
    public async Task<bool> DeleteIfUnchangedAsync(string key, StoredObject expected, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(expected);
        try
        {
            await DeleteIfMatchAsync(key, expected.ETag, cancellationToken);
            return true;
        }
        catch (UnavailableException ex) when (ex.InnerException is RequestFailedException { Status: (int)HttpStatusCode.PreconditionFailed })
        {
            // If-Match on a blob that is gone answers 412 too (Azurite does): only a blob still there was changed.
            return await HeadAsync(key, cancellationToken) is null;
        }
    }

    /// <summary>
    /// Copies through this process (download, then a no-overwrite upload): a server-side copy from another container
    /// would need the source readable by URL (a SAS), which a connection string or a managed identity does not give.
    /// </summary>
    public async Task CopyAsync(string sourceBucket, string sourceKey, string destinationKey, CancellationToken cancellationToken)
    {
        var source = sourceBucket == Bucket ? this : ForContainer(sourceBucket);
        await using var content = await source.OpenReadAsync(sourceKey, cancellationToken)
            ?? throw new UnavailableException(Storage, $"Azure request failed, COPY {sourceBucket}/{sourceKey}: the source blob does not exist ({Description}).");
        await PutAsync(destinationKey, content, cancellationToken);
    }

    /// <summary>Deletes the blob; deleting a missing blob is not an error (the contract's S3 semantics).</summary>
    public Task DeleteAsync(string key, CancellationToken cancellationToken) => DeleteIfMatchAsync(key, expectedETag: null, cancellationToken);

    /// <summary>
    /// Deletes the blob only while it still has <paramref name="expectedETag"/> (as this store reported it); a blob
    /// changed since then is kept and the call fails with <see cref="UnavailableException"/>. Null deletes unconditionally.
    /// </summary>
    public async Task DeleteIfMatchAsync(string key, string? expectedETag, CancellationToken cancellationToken)
    {
        try
        {
            var conditions = expectedETag is null ? null : new BlobRequestConditions { IfMatch = new ETag(expectedETag) };
            await _container.GetBlobClient(key).DeleteIfExistsAsync(DeleteSnapshotsOption.IncludeSnapshots, conditions, cancellationToken);
        }
        catch (Exception ex) when (IsStorageFailure(ex, cancellationToken))
        {
            throw Unavailable($"DELETE {Bucket}/{key}", ex);
        }
    }

    /// <summary>Whether the blob holds exactly the bytes of <paramref name="content"/> (read to its end).</summary>
    private async Task<bool> HoldsAsync(string key, Stream content, CancellationToken cancellationToken)
    {
        await using var existing = await OpenReadAsync(key, cancellationToken);
        if (existing is null)
        {
            return false;
        }

        var left = new byte[81920];
        var right = new byte[81920];
        while (true)
        {
            var read = await content.ReadAtLeastAsync(left, left.Length, throwOnEndOfStream: false, cancellationToken);
            var other = await existing.ReadAtLeastAsync(right, Math.Max(read, 1), throwOnEndOfStream: false, cancellationToken);
            if (read != other || !left.AsSpan(0, read).SequenceEqual(right.AsSpan(0, other)))
            {
                return false;
            }

            if (read == 0)
            {
                return true;
            }
        }
    }

    /// <summary>True for a service, authentication or transport failure (a timeout included); false for the caller's own cancellation.</summary>
    internal static bool IsStorageFailure(Exception ex, CancellationToken cancellationToken) =>
        !(ex is OperationCanceledException && cancellationToken.IsCancellationRequested)
        && ex is RequestFailedException or AuthenticationFailedException or CredentialUnavailableException or AggregateException
            or HttpRequestException or IOException or TimeoutException or OperationCanceledException;

    // A missing container is also a 404, but it means the settings are wrong, not that the blob is absent.
    private static bool IsBlobNotFound(RequestFailedException ex) =>
        ex.Status == (int)HttpStatusCode.NotFound && ex.ErrorCode != BlobErrorCode.ContainerNotFound.ToString();

    // Listings give the ETag bare, properties quoted: one form, so a plan's ETag compares equal to a later HEAD's.
    private static string? Quote(ETag? etag) => etag is { } value ? $"\"{value.ToString().Trim('"')}\"" : null;

    private UnavailableException Unavailable(string action, Exception ex)
    {
        var reason = ex switch
        {
            RequestFailedException { Status: (int)HttpStatusCode.NotFound } rf when rf.ErrorCode == BlobErrorCode.ContainerNotFound.ToString() =>
                $"the container {Bucket} does not exist: check {AzureBlobSettings.ContainerVariable} (the daemon does not create it either)",
            RequestFailedException { Status: (int)HttpStatusCode.Forbidden } rf =>
                $"access denied ({rf.ErrorCode}): check the account key or SAS in {AzureBlobSettings.ConnectionStringVariable}, or the role of the managed identity (Storage Blob Data Reader to check, Contributor to repair)",
            RequestFailedException { Status: (int)HttpStatusCode.Conflict or (int)HttpStatusCode.PreconditionFailed } rf when action.StartsWith("PUT ", StringComparison.Ordinal) =>
                $"a blob with this name already exists ({rf.ErrorCode}); it is never overwritten",
            RequestFailedException { Status: (int)HttpStatusCode.PreconditionFailed } rf =>
                $"the blob changed since it was read ({rf.ErrorCode}), so it was kept",
            RequestFailedException rf => $"{rf.Status} {rf.ErrorCode}",
            AuthenticationFailedException or CredentialUnavailableException =>
                $"no Azure credential could be obtained ({ex.GetType().Name}): check the managed identity or workload identity of this host",
            OperationCanceledException or TimeoutException => "the request timed out",
            AggregateException aggregate => aggregate.InnerExceptions.LastOrDefault()?.Message ?? aggregate.Message,
            _ => ex.Message,
        };
        return new UnavailableException(Storage, $"Azure request failed, {action} ({Description}): {reason}", ex);
    }
}
