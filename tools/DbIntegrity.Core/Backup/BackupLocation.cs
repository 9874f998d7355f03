namespace DbIntegrity.Core.Backup;

/// <summary>
/// A bucket and a key prefix that backups go under, written <c>s3://bucket/prefix</c> or just <c>prefix</c> (then in
/// the daemon's own bucket). The daemon only lists its four prefixes (docs/daemon/storage.md#key-layout), so a backup prefix beside them
/// is invisible to it; a prefix inside one of them is refused.
/// </summary>
public sealed record BackupLocation(string Bucket, string Prefix)
{
    public const string DefaultPrefix = "dbintegrity-backups";

    /// <summary>Parses <c>s3://bucket/prefix</c>, <c>s3://bucket</c> or <c>prefix</c>.</summary>
    public static BackupLocation Parse(string? text, string defaultBucket, string defaultPrefix = DefaultPrefix)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return new BackupLocation(defaultBucket, defaultPrefix);
        }

        text = text.Trim();
        if (text.StartsWith("s3://", StringComparison.OrdinalIgnoreCase))
        {
            var rest = text[5..];
            var slash = rest.IndexOf('/', StringComparison.Ordinal);
            var bucket = slash < 0 ? rest : rest[..slash];
            var prefix = slash < 0 ? string.Empty : rest[(slash + 1)..];
            if (bucket.Length == 0)
            {
                throw new ConfigurationException($"\"{text}\" names no bucket: use s3://bucket/prefix or a prefix in the daemon's bucket.");
            }

            return new BackupLocation(bucket, Clean(prefix, text));
        }

        return new BackupLocation(defaultBucket, Clean(text, text));
    }

    /// <summary>The location of one backup (a sub-folder of this one).</summary>
    public BackupLocation Child(string name) => new(Bucket, Prefix.Length == 0 ? name : $"{Prefix}/{name}");

    /// <summary>The key of <paramref name="relative"/> under this location.</summary>
    public string Key(string relative) => Prefix.Length == 0 ? relative : $"{Prefix}/{relative}";

    /// <summary>Where the copy of the daemon's object <paramref name="key"/> goes.</summary>
    public string ObjectKey(string key) => Key("objects/" + key);

    /// <summary>Fails when backups would land inside the daemon's prefixes of the same bucket.</summary>
    public void EnsureOutside(string daemonBucket, Configuration.StorageLayout layout)
    {
        ArgumentNullException.ThrowIfNull(layout);
        if (!string.Equals(Bucket, daemonBucket, StringComparison.Ordinal))
        {
            return;
        }

        foreach (var path in new[] { layout.InstalledPath, layout.PackagePath, layout.MediaPath, layout.PersistencePath })
        {
            if (Prefix.Length == 0 || Prefix == path || Prefix.StartsWith(path + "/", StringComparison.Ordinal) || path.StartsWith(Prefix + "/", StringComparison.Ordinal))
            {
                throw new ConfigurationException(
                    $"Backups at {this} would mix with the daemon's {path}/ objects in the same bucket: choose another prefix (default {DefaultPrefix}) or another bucket.");
            }
        }
    }

    public override string ToString() => Prefix.Length == 0 ? $"s3://{Bucket}" : $"s3://{Bucket}/{Prefix}";

    private static string Clean(string prefix, string original)
    {
        var parts = prefix.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Any(p => p is "." or ".."))
        {
            throw new ConfigurationException($"\"{original}\" is not a usable backup location: no . or .. segments.");
        }

        return string.Join('/', parts);
    }
}
