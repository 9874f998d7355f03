namespace DbIntegrity.Core.Storage;

/// <summary>
/// Write access to a bucket (PutObject, DeleteObject, and GetObject on the source of a copy). Only repair, backup,
/// restore and the reproduction scenarios use it; a check never does.
/// </summary>
public interface IObjectWriter
{
    /// <summary>The bucket and endpoint, without credentials.</summary>
    string Description { get; }

    Task PutAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken);

    Task PutAsync(string key, Stream content, CancellationToken cancellationToken);

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
}
