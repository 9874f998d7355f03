using System.Text.Json;
using DbIntegrity.Core.Json;
using DbIntegrity.Core.Storage;

namespace DbIntegrity.Core.Backup;

/// <summary>Reads and writes <c>manifest.json</c> of a backup.</summary>
public static class BackupJson
{
    public static readonly JsonSerializerOptions Options = JsonFiles.Options(o => o.RespectRequiredConstructorParameters = true);

    public static string Write(BackupManifest manifest) => JsonSerializer.Serialize(manifest, Options);

    public static BackupManifest Read(string json, string source)
    {
        try
        {
            var manifest = JsonSerializer.Deserialize<BackupManifest>(json, Options);
            if (manifest is null || manifest.Format != BackupManifest.FormatName || manifest.FormatVersion != BackupManifest.CurrentFormatVersion)
            {
                throw new ConfigurationException($"{source} is not a backup manifest of dbintegrity's format version {BackupManifest.CurrentFormatVersion}.");
            }

            return manifest;
        }
        catch (JsonException ex)
        {
            throw new ConfigurationException($"{source} is not a valid backup manifest: {ex.Message}");
        }
    }

    /// <summary>Loads <c>manifest.json</c> of the backup at <paramref name="location"/>.</summary>
    public static async Task<BackupManifest> LoadAsync(IObjectReader store, BackupLocation location, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(location);
        var key = location.Key(BackupManifest.FileName);
        await using var stream = await store.OpenReadAsync(key, cancellationToken)
            ?? throw new ConfigurationException($"No backup at {location}: {key} does not exist. List backups with: aws s3 ls s3://{location.Bucket}/{location.Prefix}/");
        using var reader = new StreamReader(stream);
        return Read(await reader.ReadToEndAsync(cancellationToken), $"s3://{location.Bucket}/{key}");
    }
}
