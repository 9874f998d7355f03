namespace DbIntegrity.Core.Configuration;

/// <summary>Which kind of object store <see cref="StorageSettings"/> describe (the daemon's <c>PLUGIN_STORAGE_TYPE</c>).</summary>
public enum StorageKind
{
    /// <summary>AWS S3 or an S3-compatible API (<c>PLUGIN_STORAGE_TYPE=aws_s3</c>).</summary>
    S3,
}
