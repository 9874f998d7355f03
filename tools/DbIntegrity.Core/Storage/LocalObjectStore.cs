using System.Globalization;
using System.Runtime.CompilerServices;
using DbIntegrity.Core.Configuration;
using DbIntegrity.Core.Sorting;

namespace DbIntegrity.Core.Storage;

/// <summary>
/// The daemon's local storage (<c>PLUGIN_STORAGE_TYPE=local</c>): a folder whose relative paths are the keys, as in
/// dify-cloud-kit <c>oss/local/localfile.go</c> (docs/daemon/storage.md#stores). Listing walks only the requested prefix (never
/// <c>cwd/</c> or <c>persistence/</c>), in the full key's UTF-8 byte order (each folder's entries sorted by name, plus
/// "/" for sub-folders, through <see cref="ExternalSorter"/>: memory holds at most one sort run per folder level, so
/// one huge folder spills to temp files instead of growing the heap). Folders are not listed (the daemon skips them);
/// dot-names are listed (the engine skips them only at the top of the installed prefix, like on S3). Symbolic links
/// are never followed out of the root: a link whose target is a file inside the root is read as that file, any other
/// link fails the operation. Every file-system failure is an <see cref="UnavailableException"/> (exit 3); only a key
/// with no file is "not found". The ETag analogue is the size and modification time; writes go to a temporary file on
/// the same file system, are flushed, then renamed into place without ever replacing a file (except through
/// <see cref="ReplaceAsync"/>, which replaces only the version the caller saw). Reads never write, so a check works on
/// a read-only mount.
/// </summary>
public sealed class LocalObjectStore : IBucketStore
{
    /// <summary>Temporary files of writes, at the top of the root: on the same file system, under no daemon prefix.</summary>
    public const string StagingFolder = ".dbintegrity-tmp";

    private const string Storage = "storage";
    private const string FileMark = "f";
    private const string FolderMark = "d";
    private readonly int _sortRunSize;

    public LocalObjectStore(string root, int sortRunSize = 25_000)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        Root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        _sortRunSize = sortRunSize;
    }

    /// <summary>The root folder, absolute.</summary>
    public string Root { get; }

    /// <summary>The root folder: what a plan or a manifest records as the source of a copy.</summary>
    public string Bucket => Root;

    /// <summary>This store for its own bucket; it has no other buckets.</summary>
    public IObjectStore ForBucket(string bucket, string? setting = null) => bucket == Bucket ? this : throw ObjectStoreFactory.NoOtherBuckets(Description);

    public string Description => $"local folder {Root}";

    public static LocalObjectStore Create(LocalStorageSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new LocalObjectStore(settings.Root);
    }

    /// <summary>The ETag analogue of a file: its size and modification time (100 ns ticks, UTC).</summary>
    public static string VersionTag(long size, DateTime lastWriteUtc) =>
        string.Create(CultureInfo.InvariantCulture, $"{size}-{lastWriteUtc.Ticks:x}");

    public async IAsyncEnumerable<StoredObject> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        EnsureRoot();
        if (prefix.StartsWith('/') || prefix.Split('/').SkipLast(1).Any(part => part is "" or "." or ".."))
        {
            throw new UnavailableException(Storage, $"{Description}: the listing prefix \"{prefix}\" is not a relative folder path.");
        }

        // "plugin/" lists the folder plugin; "plugin/lang" lists the entries of plugin whose names start with "lang".
        var slash = prefix.LastIndexOf('/');
        var folderKey = slash < 0 ? string.Empty : prefix[..(slash + 1)];
        var namePrefix = prefix[(slash + 1)..];
        if (!FolderExists(folderKey))
        {
            // The daemon lists nothing when the prefix's folder does not exist (localfile.go).
            yield break;
        }

        await foreach (var entry in ListFolderAsync(folderKey, namePrefix, cancellationToken))
        {
            yield return entry;
        }
    }

    public Task<StoredObject?> HeadAsync(string key, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        EnsureRoot();
        if (ResolveFile(key) is not { } file)
        {
            return Task.FromResult<StoredObject?>(null);
        }

        return Task.FromResult<StoredObject?>(Describe(key, file));
    }

    public Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        EnsureRoot();
        if (ResolveFile(key) is not { } file)
        {
            return Task.FromResult<Stream?>(null);
        }

        try
        {
            return Task.FromResult<Stream?>(new FileStream(file.FullName, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 81920, useAsync: true));
        }
        catch (FileNotFoundException)
        {
            return Task.FromResult<Stream?>(null);
        }
        catch (DirectoryNotFoundException)
        {
            return Task.FromResult<Stream?>(null);
        }
        catch (Exception ex) when (IsFileSystemFailure(ex))
        {
            throw Unavailable($"reading {key}", ex);
        }
    }

    public Task PutAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken) =>
        PutAsync(key, new MemoryStream(content.ToArray(), writable: false), cancellationToken);

    /// <summary>
    /// Writes a new file. An empty key ending in "/" (an S3 folder marker) becomes the folder itself: the file-system
    /// form of a marker, which the daemon's listing skips as it skips every folder.
    /// </summary>
    public Task PutAsync(string key, Stream content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(content);
        if (key.EndsWith('/') && KeyPath(key.TrimEnd('/')) is { } folder)
        {
            if (content.CanSeek && content.Length - content.Position == 0)
            {
                EnsureRoot();
                try
                {
                    EnsureFolder(folder, key);
                }
                catch (Exception ex) when (IsFileSystemFailure(ex))
                {
                    throw Unavailable($"creating the folder {key}", ex);
                }

                return Task.CompletedTask;
            }

            throw new UnavailableException(Storage, $"{Description}: \"{key}\" names a folder; a file cannot have content there.");
        }

        return WriteAsync(key, content, expected: null, cancellationToken);
    }

    public async Task ReplaceAsync(string key, Stream content, StoredObject expected, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(expected);
        await WriteAsync(key, content, expected, cancellationToken);
    }

    /// <summary>
    /// The file-system form of a conditional write: <see cref="WriteCondition.Absent"/> never replaces a file (the final
    /// link(2) fails when one appeared meanwhile), <see cref="WriteCondition.SameETag"/> replaces only the version whose
    /// size and modification time make that ETag.
    /// </summary>
    public async Task<bool> PutAsync(string key, Stream content, WriteCondition condition, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var current = await HeadAsync(key, cancellationToken);
        switch (condition)
        {
            case WriteCondition.NoObject when current is null:
                await WriteAsync(key, content, expected: null, cancellationToken);
                return true;
            case WriteCondition.SameETag same when current is not null && current.ETag == same.ETag:
                await WriteAsync(key, content, current, cancellationToken);
                return true;
            default:
                return false;
        }
    }

    public async Task CopyAsync(string sourceBucket, string sourceKey, string destinationKey, CancellationToken cancellationToken)
    {
        if (!string.Equals(sourceBucket, Bucket, StringComparison.Ordinal))
        {
            throw new UnavailableException(Storage, $"{Description}: cannot copy from {sourceBucket}, another store; copy through a download instead.");
        }

        await using var source = await OpenReadAsync(sourceKey, cancellationToken)
            ?? throw new UnavailableException(Storage, $"{Description}: the copy source {sourceKey} does not exist.");
        await PutAsync(destinationKey, source, cancellationToken);
    }

    public Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        EnsureRoot();
        if (ResolveFile(key, forWrite: true) is { } file)
        {
            Delete(key, file);
        }

        return Task.CompletedTask;
    }

    public Task<bool> DeleteIfUnchangedAsync(string key, StoredObject expected, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(expected);
        cancellationToken.ThrowIfCancellationRequested();
        EnsureRoot();
        if (ResolveFile(key, forWrite: true) is not { } file)
        {
            return Task.FromResult(true);
        }

        var current = Describe(key, file);
        if (current.ETag != expected.ETag || current.Size != expected.Size)
        {
            return Task.FromResult(false);
        }

        Delete(key, file);
        return Task.FromResult(true);
    }

    /// <summary>Nothing to release: every operation opens and closes its own files.</summary>
    public void Dispose()
    {
    }

    private void Delete(string key, FileInfo file)
    {
        try
        {
            file.Delete();
        }
        catch (Exception ex) when (IsFileSystemFailure(ex))
        {
            throw Unavailable($"deleting {key}", ex);
        }
    }

    private async Task WriteAsync(string key, Stream content, StoredObject? expected, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        EnsureRoot();
        var path = KeyPath(key) ?? throw new UnavailableException(Storage, $"{Description}: \"{key}\" is not a usable key (empty, absolute, or with . or .. segments).");
        var staging = Path.Combine(Root, StagingFolder);
        var temp = Path.Combine(staging, Guid.NewGuid().ToString("N") + ".tmp");
        var moving = false;
        try
        {
            EnsureFolder(Path.GetDirectoryName(path)!, key);
            EnsureFolder(staging, key);
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            {
                await content.CopyToAsync(file, cancellationToken);
                await file.FlushAsync(cancellationToken);
                file.Flush(flushToDisk: true);
            }

            if (expected is not null)
            {
                var current = ResolveFile(key, forWrite: true);
                var seen = current is null ? null : Describe(key, current);
                if (seen is null || seen.ETag != expected.ETag || seen.Size != expected.Size)
                {
                    throw new UnavailableException(Storage, $"{Description}: {key} changed since it was read (expected {expected.ETag}, {expected.Size} bytes), so it was not replaced.");
                }
            }

            // Without an expected version this never replaces a file: on Unix .NET moves with link(2) + unlink(2),
            // which fails when the destination exists. A replacement is one rename(2): readers see old or new bytes.
            moving = true;
            File.Move(temp, path, overwrite: expected is not null);
        }
        catch (IOException ex) when (moving && expected is null && File.Exists(path))
        {
            // Writing the very bytes that are there already (a content-addressed icon written twice) changes nothing.
            if (!await SameContentAsync(temp, path, cancellationToken))
            {
                throw new UnavailableException(Storage, $"{Description}: {key} already exists with other content and is never overwritten.", ex);
            }
        }
        catch (Exception ex) when (IsFileSystemFailure(ex))
        {
            throw Unavailable($"writing {key}", ex);
        }
        finally
        {
            TryDelete(temp);
        }
    }

    private static async Task<bool> SameContentAsync(string a, string b, CancellationToken cancellationToken)
    {
        await using var first = File.OpenRead(a);
        await using var second = File.OpenRead(b);
        if (first.Length != second.Length)
        {
            return false;
        }

        var left = new byte[81920];
        var right = new byte[81920];
        while (true)
        {
            var read = await first.ReadAtLeastAsync(left, left.Length, throwOnEndOfStream: false, cancellationToken);
            var other = await second.ReadAtLeastAsync(right, read, throwOnEndOfStream: false, cancellationToken);
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

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (IsFileSystemFailure(ex))
        {
            // A leftover temporary file sits under the staging folder, which no daemon prefix covers.
        }
    }

    private void EnsureFolder(string folder, string key)
    {
        // Every folder from the root down must be a real folder, not a link (writes never go through links).
        var relative = Path.GetRelativePath(Root, folder);
        var current = Root;
        foreach (var part in relative == "." ? [] : relative.Split(Path.DirectorySeparatorChar))
        {
            current = Path.Combine(current, part);
            if (PathExists(current, out var isFolder, out var isLink))
            {
                if (isLink || !isFolder)
                {
                    throw new UnavailableException(Storage, $"{Description}: cannot write {key}: {Path.GetRelativePath(Root, current)} is {(isLink ? "a symbolic link" : "a file")}, not a folder.");
                }
            }
            else
            {
                Directory.CreateDirectory(current);
            }
        }
    }

    private async IAsyncEnumerable<StoredObject> ListFolderAsync(string folderKey, string namePrefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var folder = FolderPath(folderKey);
        await using var sorter = new ExternalSorter(_sortRunSize);
        IEnumerable<FileSystemInfo> entries;
        try
        {
            entries = new DirectoryInfo(folder).EnumerateFileSystemInfos("*", new EnumerationOptions
            {
                IgnoreInaccessible = false,
                RecurseSubdirectories = false,
                ReturnSpecialDirectories = false,
                AttributesToSkip = 0,
            });
        }
        catch (Exception ex) when (IsFileSystemFailure(ex))
        {
            throw Unavailable($"listing {folderKey}", ex);
        }

        using (var enumerator = entries.GetEnumerator())
        {
            while (true)
            {
                FileSystemInfo entry;
                try
                {
                    if (!enumerator.MoveNext())
                    {
                        break;
                    }

                    entry = enumerator.Current;
                }
                catch (Exception ex) when (IsFileSystemFailure(ex))
                {
                    throw Unavailable($"listing {folderKey}", ex);
                }

                var name = entry.Name;
                if (!name.StartsWith(namePrefix, StringComparison.Ordinal) || (folderKey.Length == 0 && name == StagingFolder))
                {
                    continue;
                }

                var key = folderKey + name;
                if (entry.Attributes.HasFlag(FileAttributes.ReparsePoint))
                {
                    // Read through a link only when it ends at a file inside the root; anything else is refused.
                    if (ResolveFile(key) is null)
                    {
                        throw LinkRefused(key);
                    }

                    await sorter.AddAsync(new SortRecord(name, FileMark), cancellationToken);
                }
                else if (entry is DirectoryInfo)
                {
                    await sorter.AddAsync(new SortRecord(name + "/", FolderMark), cancellationToken);
                }
                else
                {
                    await sorter.AddAsync(new SortRecord(name, FileMark), cancellationToken);
                }
            }
        }

        await foreach (var record in sorter.SortedAsync(cancellationToken))
        {
            if (record.Value == FolderMark)
            {
                await foreach (var nested in ListFolderAsync(folderKey + record.Key, string.Empty, cancellationToken))
                {
                    yield return nested;
                }

                continue;
            }

            var key = folderKey + record.Key;

            // Gone between the folder read and now: the daemon would not see it either.
            if (ResolveFile(key) is { } file && Describe(key, file) is { } stored)
            {
                yield return stored;
            }
        }
    }

    private StoredObject Describe(string key, FileInfo file)
    {
        try
        {
            file.Refresh();
            var modified = file.LastWriteTimeUtc;
            return new StoredObject(key, file.Length, new DateTimeOffset(modified, TimeSpan.Zero), VersionTag(file.Length, modified));
        }
        catch (Exception ex) when (IsFileSystemFailure(ex))
        {
            throw Unavailable($"reading the size and time of {key}", ex);
        }
    }

    /// <summary>
    /// The file of a key, following a link only to a file inside the root; null when no file has that key. A key that
    /// cannot be a path under the root (".." segments, absolute) has no file. Writes never follow a link.
    /// </summary>
    private FileInfo? ResolveFile(string key, bool forWrite = false)
    {
        if (KeyPath(key) is not { } path)
        {
            return null;
        }

        try
        {
            // Every folder on the way must be a real folder inside the root: a linked folder could lead anywhere.
            var parts = key.Split('/');
            var current = Root;
            for (var i = 0; i < parts.Length - 1; i++)
            {
                current = Path.Combine(current, parts[i]);
                if (!PathExists(current, out var isFolder, out var isLink) || !isFolder)
                {
                    if (isLink)
                    {
                        throw LinkRefused(string.Join('/', parts[..(i + 1)]));
                    }

                    return null;
                }

                if (isLink)
                {
                    throw LinkRefused(string.Join('/', parts[..(i + 1)]));
                }
            }

            var file = new FileInfo(path);
            if (file.LinkTarget is null)
            {
                return file.Exists ? file : null;
            }

            if (forWrite)
            {
                throw LinkRefused(key);
            }

            var target = file.ResolveLinkTarget(returnFinalTarget: true);
            if (target is FileInfo { Exists: true } resolved && IsInsideRoot(resolved.FullName))
            {
                return resolved;
            }

            throw LinkRefused(key);
        }
        catch (UnavailableException)
        {
            throw;
        }
        catch (Exception ex) when (IsFileSystemFailure(ex))
        {
            throw Unavailable($"looking up {key}", ex);
        }
    }

    private bool IsInsideRoot(string path) =>
        path.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    private UnavailableException LinkRefused(string key) =>
        new(Storage, $"{Description}: {key} is a symbolic link that does not end at a file inside the root (or a linked folder); dbintegrity never follows links out of the storage root. Replace the link with the file it names, or remove it.");

    /// <summary>The path of a key, or null when the key cannot name a file under the root.</summary>
    private string? KeyPath(string key)
    {
        if (string.IsNullOrEmpty(key) || key.StartsWith('/') || key.EndsWith('/') || key.Contains('\0', StringComparison.Ordinal)
            || key.Split('/').Any(part => part is "" or "." or ".."))
        {
            return null;
        }

        return Path.Combine(Root, key.Replace('/', Path.DirectorySeparatorChar));
    }

    /// <summary>True when the folder of <paramref name="folderKey"/> exists; a link or a file on the way fails.</summary>
    private bool FolderExists(string folderKey)
    {
        var current = Root;
        foreach (var part in folderKey.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            current = Path.Combine(current, part);
            if (!PathExists(current, out var isFolder, out var isLink))
            {
                return false;
            }

            if (isLink)
            {
                throw LinkRefused(folderKey);
            }

            if (!isFolder)
            {
                return false;
            }
        }

        return true;
    }

    private string FolderPath(string folderKey) =>
        folderKey.Length == 0 ? Root : Path.Combine(Root, folderKey.TrimEnd('/').Replace('/', Path.DirectorySeparatorChar));

    private static bool PathExists(string path, out bool isFolder, out bool isLink)
    {
        var info = new FileInfo(path);
        isLink = info.LinkTarget is not null;
        isFolder = !isLink && Directory.Exists(path);
        return isLink || isFolder || info.Exists;
    }

    /// <summary>A missing root or one that is not a folder fails every operation: it is never "no objects".</summary>
    private void EnsureRoot()
    {
        if (File.Exists(Root))
        {
            throw new UnavailableException(Storage, $"{Description} is a file, not a folder: set PLUGIN_STORAGE_LOCAL_ROOT (or --local-root) to the daemon's storage folder (Dify's compose: the volume mounted at /app/storage).");
        }

        if (!Directory.Exists(Root))
        {
            throw new UnavailableException(Storage, $"{Description} does not exist or cannot be reached: set PLUGIN_STORAGE_LOCAL_ROOT (or --local-root) to the daemon's storage folder (Dify's compose: the volume mounted at /app/storage).");
        }
    }

    private UnavailableException Unavailable(string action, Exception ex)
    {
        var reason = ex switch
        {
            UnauthorizedAccessException => "permission denied (the user running dbintegrity needs read access to every file and folder under the daemon's prefixes, and write access for repair and restore)",
            _ => ex.Message,
        };
        return new UnavailableException(Storage, $"{Description}, {action}: {reason}", ex);
    }

    private static bool IsFileSystemFailure(Exception ex) => ex is IOException or UnauthorizedAccessException or System.Security.SecurityException;
}
