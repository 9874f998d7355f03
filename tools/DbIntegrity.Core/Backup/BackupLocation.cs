using DbIntegrity.Core.Storage;

namespace DbIntegrity.Core.Backup;

/// <summary>
/// A bucket (an Azure container, a local root) and a key prefix that backups go under, written as the user can give it
/// back: <c>s3://bucket/prefix</c>, <c>azure://container/prefix</c>, a folder path under a local root, or just
/// <c>prefix</c> (then in the daemon's own bucket, container or folder). The daemon only lists its four prefixes
/// (docs/daemon/storage.md#key-layout), so a backup prefix beside them is invisible to it; a prefix inside one of them
/// is refused.
/// </summary>
public sealed record BackupLocation(string Bucket, string Prefix)
{
    public const string DefaultPrefix = "dbintegrity-backups";

    /// <summary>S3 and the S3-compatible clouds: <c>s3://bucket/prefix</c>.</summary>
    public const string S3Scheme = "s3";

    /// <summary>Azure Blob: <c>azure://container/prefix</c>.</summary>
    public const string AzureScheme = "azure";

    /// <summary>Local storage: <see cref="Bucket"/> is the root folder, the location prints as a path under it.</summary>
    public const string FileScheme = "file";

    // The plugins' working folders: Dify's compose sets PLUGIN_WORKING_PATH=/app/storage/cwd, inside the local root
    // (docs/daemon/storage.md#stores). Backups must never land there, nor among the store's own temporary files.
    private static readonly string[] LocalFoldersOfOthers = ["cwd", LocalObjectStore.StagingFolder];

    /// <summary>How the location is written: <see cref="S3Scheme"/>, <see cref="AzureScheme"/> or <see cref="FileScheme"/>.</summary>
    public string Scheme { get; init; } = S3Scheme;

    /// <summary>The scheme a store's backup locations are written in.</summary>
    public static string SchemeOf(IObjectReader store) => store switch
    {
        LocalObjectStore => FileScheme,
        AzureBlobObjectStore => AzureScheme,
        _ => S3Scheme,
    };

    /// <summary>Parses a location for the daemon's <paramref name="store"/> (its bucket, container or root is the default).</summary>
    public static BackupLocation Parse(string? text, IObjectStore store, string defaultPrefix = DefaultPrefix)
    {
        ArgumentNullException.ThrowIfNull(store);
        return Parse(text, store.Bucket, defaultPrefix, SchemeOf(store));
    }

    /// <summary>
    /// Parses <c>s3://bucket/prefix</c>, <c>azure://container/prefix</c>, a path under the local root (only with
    /// <see cref="FileScheme"/>, where <paramref name="defaultBucket"/> is the root) or a <c>prefix</c>. A URL of
    /// another kind of store than the daemon's is refused: backups are written with the daemon's store credentials.
    /// </summary>
    public static BackupLocation Parse(string? text, string defaultBucket, string defaultPrefix = DefaultPrefix, string scheme = S3Scheme)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return new BackupLocation(defaultBucket, defaultPrefix) { Scheme = scheme };
        }

        text = text.Trim();
        foreach (var candidate in new[] { S3Scheme, AzureScheme })
        {
            var marker = candidate + "://";
            if (!text.StartsWith(marker, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (candidate != scheme)
            {
                throw new ConfigurationException(
                    $"\"{text}\" is {(candidate == S3Scheme ? "an S3" : "an Azure Blob")} location, but the daemon's storage is {Kind(scheme)}: give {Forms(scheme)}.");
            }

            var rest = text[marker.Length..];
            var slash = rest.IndexOf('/', StringComparison.Ordinal);
            var bucket = slash < 0 ? rest : rest[..slash];
            var prefix = slash < 0 ? string.Empty : rest[(slash + 1)..];
            if (bucket.Length == 0)
            {
                throw new ConfigurationException($"\"{text}\" names no {(candidate == S3Scheme ? "bucket" : "container")}: give {Forms(scheme)}.");
            }

            return new BackupLocation(bucket, Clean(prefix, text)) { Scheme = scheme };
        }

        if (scheme == FileScheme && Path.IsPathRooted(text))
        {
            return new BackupLocation(defaultBucket, Clean(UnderRoot(text, defaultBucket), text)) { Scheme = scheme };
        }

        return new BackupLocation(defaultBucket, Clean(text, text)) { Scheme = scheme };
    }

    /// <summary>The location of one backup (a sub-folder of this one).</summary>
    public BackupLocation Child(string name) => this with { Prefix = Prefix.Length == 0 ? name : $"{Prefix}/{name}" };

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

        string[] daemonPaths = [layout.InstalledPath, layout.PackagePath, layout.MediaPath, layout.PersistencePath];
        foreach (var path in Scheme == FileScheme ? [.. daemonPaths, .. LocalFoldersOfOthers] : daemonPaths)
        {
            if (Prefix.Length == 0 || Prefix == path || Prefix.StartsWith(path + "/", StringComparison.Ordinal) || path.StartsWith(Prefix + "/", StringComparison.Ordinal))
            {
                throw new ConfigurationException(
                    $"Backups at {this} would mix with the daemon's {path}/ {(Scheme == FileScheme ? "files in its folder" : "objects in the same bucket")}: choose another prefix (default {DefaultPrefix}){(Scheme == S3Scheme ? " or another bucket" : string.Empty)}.");
            }
        }
    }

    /// <summary>The location as the user gives it back to <c>restore</c> or <c>--from-backup</c>.</summary>
    public override string ToString() => Scheme switch
    {
        FileScheme => Prefix.Length == 0 ? Bucket : Path.Join(Bucket, Prefix.Replace('/', Path.DirectorySeparatorChar)),
        _ => Prefix.Length == 0 ? $"{Scheme}://{Bucket}" : $"{Scheme}://{Bucket}/{Prefix}",
    };

    private static string Kind(string scheme) => scheme switch
    {
        FileScheme => "a local folder",
        AzureScheme => "Azure Blob",
        _ => "S3",
    };

    private static string Forms(string scheme) => scheme switch
    {
        FileScheme => "a prefix (for example dbintegrity-backups) or a folder path under the storage root",
        AzureScheme => "azure://container/prefix or a prefix in the daemon's container",
        _ => "s3://bucket/prefix or a prefix in the daemon's bucket",
    };

    /// <summary>A path under the local root as a key prefix; a path outside the root is refused (backups stay on the daemon's volume, where writes are crash-safe).</summary>
    private static string UnderRoot(string path, string root)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        var relative = Path.GetRelativePath(root, full);
        if (relative == "." || relative == ".." || relative.StartsWith(".." + Path.DirectorySeparatorChar, StringComparison.Ordinal) || Path.IsPathRooted(relative))
        {
            throw new ConfigurationException(
                $"\"{path}\" is not a folder under the storage root {root}: local backups go under the root, beside the daemon's folders; give a prefix (for example {DefaultPrefix}) or a path under {root}.");
        }

        return relative.Replace(Path.DirectorySeparatorChar, '/');
    }

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
