namespace DbIntegrity.Core.Storage;

/// <summary>
/// Read access to the daemon's bucket: the only S3 actions a check needs (ListBucket, GetObject; HEAD is a GetObject
/// permission). Every failure other than "not found" throws <see cref="UnavailableException"/>: a check that could not
/// read an object must not conclude anything about it.
/// </summary>
public interface IObjectReader
{
    /// <summary>The bucket and endpoint, without credentials.</summary>
    string Description { get; }

    /// <summary>
    /// Every object whose key starts with <paramref name="prefix"/>, recursively (no delimiter), in S3's order (UTF-8
    /// bytes), one page at a time: memory does not grow with the number of objects.
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

    /// <summary>The object's metadata, or null when it does not exist.</summary>
    Task<StoredObject?> HeadAsync(string key, CancellationToken cancellationToken);

    /// <summary>Opens the object's content; null when it does not exist. The caller disposes the stream.</summary>
    Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken);
}
