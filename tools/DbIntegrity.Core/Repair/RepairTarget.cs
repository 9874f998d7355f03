using DbIntegrity.Core.Configuration;

namespace DbIntegrity.Core.Repair;

/// <summary>Where a plan applies: the database and the bucket with the daemon's prefixes (docs/daemon/storage.md#settings).</summary>
public sealed record RepairTarget
{
    public required string Host { get; init; }

    public required int Port { get; init; }

    public required string Database { get; init; }

    public required string Bucket { get; init; }

    public required string InstalledPath { get; init; }

    public required string PackagePath { get; init; }

    public required string MediaPath { get; init; }

    public StorageLayout Layout => new() { InstalledPath = InstalledPath, PackagePath = PackagePath, MediaPath = MediaPath };

    public static RepairTarget Create(string host, int port, string database, string bucket, StorageLayout layout)
    {
        ArgumentNullException.ThrowIfNull(layout);
        return new RepairTarget
        {
            Host = host,
            Port = port,
            Database = database,
            Bucket = bucket,
            InstalledPath = layout.InstalledPath,
            PackagePath = layout.PackagePath,
            MediaPath = layout.MediaPath,
        };
    }

    /// <summary>
    /// Why <paramref name="actual"/> is not this target, or null. The host is not compared: a plan made through a
    /// read replica applies to the primary. The facts each fix carries catch any other database with the same name.
    /// </summary>
    public string? Mismatch(RepairTarget actual)
    {
        ArgumentNullException.ThrowIfNull(actual);
        var differences = new List<string>();
        Compare("database", Database, actual.Database);
        Compare("bucket", Bucket, actual.Bucket);
        Compare("PLUGIN_INSTALLED_PATH", InstalledPath, actual.InstalledPath);
        Compare("PLUGIN_PACKAGE_CACHE_PATH", PackagePath, actual.PackagePath);
        Compare("PLUGIN_MEDIA_CACHE_PATH", MediaPath, actual.MediaPath);
        return differences.Count == 0 ? null : string.Join("; ", differences);

        void Compare(string what, string planned, string now)
        {
            if (!string.Equals(planned, now, StringComparison.Ordinal))
            {
                differences.Add($"{what} is {now}, the plan was made for {planned}");
            }
        }
    }

    public string Describe() => $"{DescribeDatabase()}, s3://{Bucket}";

    public string DescribeDatabase() => $"{Host}:{Port}/{Database}";
}
