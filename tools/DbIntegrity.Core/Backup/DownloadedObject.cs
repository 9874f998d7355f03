using System.Security.Cryptography;
using DbIntegrity.Core.Plugins;
using DbIntegrity.Core.Storage;

namespace DbIntegrity.Core.Backup;

/// <summary>
/// An object's bytes in a temporary file (memory stays flat however large the package), with the SHA-256 of the bytes
/// and, when asked, the docs/daemon/packages.md#checksum package checksum of those same bytes. Whatever is verified is what gets written.
/// </summary>
internal sealed class DownloadedObject : IAsyncDisposable
{
    private readonly FileStream _content;

    private DownloadedObject(string key, FileStream content, string sha256, string? checksum)
    {
        Key = key;
        _content = content;
        Sha256 = sha256;
        Checksum = checksum;
    }

    public string Key { get; }

    public long Size => _content.Length;

    public string Sha256 { get; }

    /// <summary>The checksum (docs/daemon/packages.md#checksum), or null when not asked for or when the bytes are not a readable zip.</summary>
    public string? Checksum { get; }

    /// <summary>Downloads <paramref name="key"/>; null when it does not exist.</summary>
    public static async Task<DownloadedObject?> DownloadAsync(IObjectReader source, string key, bool computeChecksum, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        await using var stream = await source.OpenReadAsync(key, cancellationToken);
        if (stream is null)
        {
            return null;
        }

        var file = new FileStream(
            Path.Combine(Path.GetTempPath(), "dbintegrity-" + Guid.NewGuid().ToString("N")),
            FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        try
        {
            try
            {
                await stream.CopyToAsync(file, cancellationToken);
            }
            catch (Exception ex) when (ex is IOException or HttpRequestException)
            {
                throw new UnavailableException("storage", $"Reading {key} failed half-way: {ex.Message}", ex);
            }

            file.Position = 0;
            var sha = Convert.ToHexStringLower(await SHA256.HashDataAsync(file, cancellationToken));
            string? checksum = null;
            if (computeChecksum)
            {
                file.Position = 0;
                try
                {
                    checksum = await PackageChecksum.ComputeAsync(file, cancellationToken);
                }
                catch (InvalidDataException)
                {
                    checksum = null;
                }
            }

            file.Position = 0;
            return new DownloadedObject(key, file, sha, checksum);
        }
        catch
        {
            await file.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Writes these bytes to <paramref name="destinationKey"/> if <paramref name="condition"/> (null: none) holds at the
    /// store, reads the copy back and compares SHA-256. False when the condition failed: nothing was written.
    /// </summary>
    public async Task<bool> PutVerifiedAsync(IObjectStore destination, string destinationKey, WriteCondition? condition, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        _content.Position = 0;
        if (condition is null)
        {
            await destination.PutAsync(destinationKey, _content, cancellationToken);
        }
        else if (!await destination.PutAsync(destinationKey, _content, condition, cancellationToken))
        {
            return false;
        }

        await using var copy = await DownloadAsync(destination, destinationKey, computeChecksum: false, cancellationToken);
        if (copy is null || copy.Sha256 != Sha256)
        {
            throw new UnavailableException("storage",
                $"The copy of {Key} at {destinationKey} in {destination.Description} does not read back as written ({(copy is null ? "missing" : $"SHA-256 {copy.Sha256}, expected {Sha256}")}).");
        }

        return true;
    }

    public ValueTask DisposeAsync() => _content.DisposeAsync();
}
