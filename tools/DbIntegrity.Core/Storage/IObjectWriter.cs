namespace DbIntegrity.Core.Storage;

/// <summary>
/// Write access to a bucket or folder (PutObject, DeleteObject, and GetObject on the source of a copy). Only repair, backup,
/// restore and the reproduction scenarios use it; a check never does.
/// </summary>
public interface IObjectWriter
{
    /// <summary>The bucket and endpoint, without credentials.</summary>
    string Description { get; }

    Task PutAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken);

    /// <summary>
    /// Writes a new object. Stores that can refuse atomically never overwrite an existing one (a local folder: a
    /// temporary file, flushed, then renamed without replacing; Azure: If-None-Match *), and throw
    /// <see cref="UnavailableException"/> instead; S3 overwrites, so callers check first (repair re-checks the live
    /// state right before each write).
    /// </summary>
    Task PutAsync(string key, Stream content, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces the object only while it is still the version <paramref name="expected"/> (same ETag and size);
    /// otherwise throws <see cref="UnavailableException"/> and leaves it alone. S3 checks with a HEAD right before the
    /// PUT (a small window remains); a local folder compares size and modification time and renames over the file.
    /// </summary>
    Task ReplaceAsync(string key, Stream content, StoredObject expected, CancellationToken cancellationToken);

    /// <summary>
    /// Writes the object only if <paramref name="condition"/> holds when the store receives the write; false when it
    /// does not (nothing was written). Stores that ignore conditional headers (s3rver, MinIO before 2024) write
    /// anyway: callers still look before they write, which narrows the window to the request itself.
    /// </summary>
    Task<bool> PutAsync(string key, Stream content, WriteCondition condition, CancellationToken cancellationToken);

    /// <summary>
    /// Server-side copy of <paramref name="sourceKey"/> in <paramref name="sourceBucket"/> to <paramref name="destinationKey"/>
    /// in this bucket, unconditional: Ceph RGW 16 ignores If-None-Match on CopyObject (it replaced an existing key when
    /// tried), so restore and repair never copy this way; they GET, verify, and write with a conditional PUT.
    /// </summary>
    Task CopyAsync(string sourceBucket, string sourceKey, string destinationKey, CancellationToken cancellationToken);

    /// <summary>Deletes the object; deleting a missing object is not an error (S3 semantics).</summary>
    Task DeleteAsync(string key, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes the object only while it is still the version <paramref name="expected"/> (same ETag and size). True
    /// when deleted or already gone, false when it changed (then it is left alone). S3 checks with a HEAD right before
    /// the DELETE; a local folder compares size and modification time.
    /// </summary>
    Task<bool> DeleteIfUnchangedAsync(string key, StoredObject expected, CancellationToken cancellationToken);
}
