using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;

namespace DbIntegrity.Core.Plugins;

/// <summary>
/// The checksum after <c>@</c> in a package identifier (docs/daemon/packages.md#checksum, <c>decoder/checksum.go</c>): for every zip
/// entry, SHA-256 of its path and SHA-256 of its content, paths in byte order, SHA-256 over the concatenation, lowercase
/// hex. It is not the SHA-256 of the package bytes: the zip comment (the signature) does not change it.
/// </summary>
public static class PackageChecksum
{
    /// <summary>Computes the checksum of a <c>.difypkg</c> (zip) stream.</summary>
    /// <exception cref="InvalidDataException">The stream is not a readable zip archive.</exception>
    public static async Task<string> ComputeAsync(Stream package, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(package);
        await using var archive = await ZipArchive.CreateAsync(package, ZipArchiveMode.Read, leaveOpen: true, entryNameEncoding: null, cancellationToken);
        var entries = new SortedDictionary<string, byte[]>(Utf8Ordinal.Instance);
        foreach (var entry in archive.Entries)
        {
            // Directory entries have no content; the daemon's packager writes files only.
            if (entry.FullName.EndsWith('/'))
            {
                continue;
            }

            await using var content = await entry.OpenAsync(cancellationToken);
            // The daemon keys by path.Join(dir, name); a later entry with the same path replaces an earlier one.
            entries[CleanPath(entry.FullName)] = await SHA256.HashDataAsync(content, cancellationToken);
        }

        return Combine(entries);
    }

    /// <summary>Computes the checksum from file paths and contents, as a package builder knows them.</summary>
    public static string Compute(IEnumerable<KeyValuePair<string, byte[]>> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var entries = new SortedDictionary<string, byte[]>(Utf8Ordinal.Instance);
        foreach (var (path, content) in files)
        {
            entries[CleanPath(path)] = SHA256.HashData(content);
        }

        return Combine(entries);
    }

    private static string Combine(SortedDictionary<string, byte[]> entries)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (path, contentHash) in entries)
        {
            hash.AppendData(SHA256.HashData(Encoding.UTF8.GetBytes(path)));
            hash.AppendData(contentHash);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    // Go's path.Join cleans the path: no duplicate slashes, no "./" segments.
    private static string CleanPath(string path)
    {
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != ".");
        return string.Join('/', parts);
    }
}
