namespace DbIntegrity.Core.Storage;

/// <summary>
/// Read access to the daemon's store: the only actions a check needs (on S3 ListBucket and GetObject; HEAD is a
/// GetObject permission; on a local folder, read access). The contract every store keeps (S3, local folder, Azure):
/// <list type="bullet">
/// <item>"Not found" is a null result of <see cref="HeadAsync"/> or <see cref="OpenReadAsync"/>, nothing else. Every
/// other failure (unreachable, permission denied, timeout, a local root that is missing or not a folder, a symbolic
/// link out of the root) throws <see cref="UnavailableException"/>: the scan fails closed (exit 3), because a check
/// that could not read an object must not conclude anything about it.</item>
/// <item><see cref="ListAsync(string, CancellationToken)"/> returns every object (never a folder) under the prefix in the full key's UTF-8 byte
/// order, with memory that does not grow with the number of objects (S3: pages; local: each folder's entries sorted
/// through <see cref="Sorting.ExternalSorter"/>). A store that cannot guarantee that order must throw
/// <see cref="UnavailableException"/> on the first key out of order, as <see cref="S3ObjectStore"/> does; the engine
/// checks the order again as it merges (SortedSource). Dot-names are listed: the engine decides which it skips.</item>
/// <item><see cref="StoredObject.ETag"/> identifies a version: the S3 ETag, or the size and modification time of a
/// file. <see cref="StoredObject.LastModified"/> is what the grace window compares.</item>
/// </list>
/// </summary>
public interface IObjectReader
{
    /// <summary>The bucket and endpoint (or the folder), without credentials.</summary>
    string Description { get; }

    /// <summary>
    /// Every object whose key starts with <paramref name="prefix"/>, recursively (no delimiter), in the full key's UTF-8
    /// byte order (S3's order), with memory that does not grow with the number of objects.
    /// </summary>
    IAsyncEnumerable<StoredObject> ListAsync(string prefix, CancellationToken cancellationToken);

    /// <summary>
    /// Like <see cref="ListAsync(string, CancellationToken)"/>, but only keys after <paramref name="startAfter"/> (UTF-8
    /// byte order, exclusive), as S3's <c>StartAfter</c>: a key range is listed again without listing the prefix from its
    /// start (confirmation of many candidates). The caller stops enumerating where its range ends. The default filters
    /// the full listing (correct, not fast); a store that can seek should implement it.
    /// </summary>
    IAsyncEnumerable<StoredObject> ListAsync(string prefix, string startAfter, CancellationToken cancellationToken) =>
        ObjectListing.After(ListAsync(prefix, cancellationToken), startAfter, cancellationToken);

    /// <summary>
    /// Whether <see cref="ListAsync(string, string, CancellationToken)"/> starts where it is asked to (S3's
    /// <c>StartAfter</c>) rather than filtering the full listing: then confirmation lists several key ranges of one
    /// prefix at once, each from its own start (<see cref="Scanning.ObjectConfirmation"/>). False by default.
    /// </summary>
    bool SeeksInListing => false;

    /// <summary>The object's metadata, or null when it does not exist.</summary>
    Task<StoredObject?> HeadAsync(string key, CancellationToken cancellationToken);

    /// <summary>Opens the object's content; null when it does not exist. The caller disposes the stream.</summary>
    Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken);
}
