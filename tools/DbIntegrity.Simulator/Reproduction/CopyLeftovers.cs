using DbIntegrity.Core.Configuration;
using DbIntegrity.Core.Storage;

namespace DbIntegrity.Simulator.Reproduction;

/// <summary>
/// The two entries a careless copy of the storage leaves under the installed prefix, as the store can hold them. On a
/// bucket: the folder markers <c>plugin/</c> and <c>plugin/langgenius/</c> that S3 copy tools create (dify#22741,
/// docs/daemon/storage.md#listing). A folder on disk has no marker object (a marker becomes the folder itself, which
/// the daemon's local listing skips), so there the copy leaves what a copy made on a Mac leaves: Finder's
/// <c>plugin/langgenius/.DS_Store</c> and its AppleDouble file <c>._.DS_Store</c>. Dot-names are skipped only at the
/// top of the prefix, so the daemon fails to parse these two every 30 seconds (docs/daemon/storage.md#stores). Either
/// way two <c>installed-key-invalid</c> findings, so a scenario's expected findings hold on every store.
/// </summary>
internal static class CopyLeftovers
{
    // A Finder .DS_Store starts with this "Bud1" header; the daemon never reads further than the name.
    private static readonly byte[] DsStore = [0x00, 0x00, 0x00, 0x01, 0x42, 0x75, 0x64, 0x31, 0x00, 0x00, 0x10, 0x00];

    // AppleDouble header (magic 0x00051607, version 2) of the ._ file macOS writes beside a file on a foreign volume.
    private static readonly byte[] AppleDouble = [0x00, 0x05, 0x16, 0x07, 0x00, 0x02, 0x00, 0x00];

    /// <summary>Adds the two entries; returns one line of breakage per entry.</summary>
    public static async Task<IReadOnlyList<string>> AddAsync(IObjectWriter objects, StorageLayout layout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(objects);
        ArgumentNullException.ThrowIfNull(layout);
        var root = $"{layout.InstalledPath}/";
        var author = $"{layout.InstalledPath}/langgenius/";
        await objects.PutAsync(root, ReadOnlyMemory<byte>.Empty, cancellationToken);
        await objects.PutAsync(author, ReadOnlyMemory<byte>.Empty, cancellationToken);

        // The store that took the write tells whether it keeps markers: a folder store answers "not found" for the key and
        // for its name without the "/" (a folder is no file); Azurite keeps a marker without its trailing "/".
        if (objects is not IObjectReader reader
            || await reader.HeadAsync(author, cancellationToken) is not null
            || await reader.HeadAsync(author.TrimEnd('/'), cancellationToken) is not null)
        {
            return [$"added the folder marker {root}", $"added the folder marker {author}"];
        }

        await objects.PutAsync(author + ".DS_Store", DsStore, cancellationToken);
        await objects.PutAsync(author + "._.DS_Store", AppleDouble, cancellationToken);
        return
        [
            $"added {author}.DS_Store, which Finder leaves in a folder copied on a Mac (a folder store has no folder markers)",
            $"added {author}._.DS_Store, the AppleDouble file a Mac writes beside it on a foreign volume",
        ];
    }
}
