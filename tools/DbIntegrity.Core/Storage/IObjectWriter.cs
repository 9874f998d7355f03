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

    /// <summary>Server-side copy of <paramref name="sourceKey"/> in <paramref name="sourceBucket"/> to <paramref name="destinationKey"/> in this bucket.</summary>
    Task CopyAsync(string sourceBucket, string sourceKey, string destinationKey, CancellationToken cancellationToken);

    /// <summary>Deletes the object; deleting a missing object is not an error (S3 semantics).</summary>
    Task DeleteAsync(string key, CancellationToken cancellationToken);
}
