using System.IO.Compression;
using DbIntegrity.Core.Plugins;

namespace DbIntegrity.Simulator.Packages;

/// <summary>Writes a package zip reproducibly and reads its entries back for the checksum.</summary>
internal static class PackageZip
{
    // ZipArchive stamps entries with the current time unless told otherwise; a fixed time keeps the bytes reproducible.
    private static readonly DateTimeOffset EntryTime = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Zips the files in the given order (the caller sorts them, docs/daemon/packages.md#container).</summary>
    public static byte[] Write(IEnumerable<KeyValuePair<string, byte[]>> files)
    {
        using var buffer = new MemoryStream();
        using (var archive = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (path, content) in files)
            {
                var entry = archive.CreateEntry(path, CompressionLevel.Optimal);
                entry.LastWriteTime = EntryTime;
                using var stream = entry.Open();
                stream.Write(content);
            }
        }

        return buffer.ToArray();
    }

    /// <summary>The checksum (docs/daemon/packages.md#checksum) of the entries as they are in the zip, not as the builder meant them.</summary>
    public static string Checksum(byte[] zip)
    {
        using var archive = new ZipArchive(new MemoryStream(zip, writable: false), ZipArchiveMode.Read);
        var entries = new List<KeyValuePair<string, byte[]>>();
        foreach (var entry in archive.Entries)
        {
            using var stream = entry.Open();
            using var content = new MemoryStream();
            stream.CopyTo(content);
            entries.Add(new(entry.FullName, content.ToArray()));
        }

        return PackageChecksum.Compute(entries);
    }
}
