using DbIntegrity.Core.Configuration;
using DbIntegrity.Core.Plugins;
using DbIntegrity.Core.Scanning;
using DbIntegrity.Core.Storage;
using DbIntegrity.Core.Wording;
using Npgsql;

namespace DbIntegrity.Core.Backup;

/// <summary>
/// <c>dbintegrity restore</c>: brings objects of a backup back where they are missing. It never overwrites an object,
/// writes only copies whose SHA-256 matches the manifest (and, for packages and markers, whose checksum (docs/daemon/packages.md#checksum) is the
/// identifier's), and restores packages before markers. By default it leaves out what would create a new problem: an
/// installed marker of a plugin no plugins row has installed locally (the daemon would launch an uninstalled plugin,
/// docs/daemon/storage.md#the-30-second-loop b, daemon#747) or whose package is missing (launch errors every 30 s), and keys that are not daemon
/// objects (the junk keys a repair removed). <c>all</c> restores those too, checksums still verified. Even with
/// <c>all</c>, only keys under the daemon's installed, package and media prefixes are written: a manifest is a file
/// anyone can edit, and restore must not become a way to write anywhere else in the bucket.
/// </summary>
public static class RestoreService
{
    public static async Task<IReadOnlyList<RestoredObject>> RunAsync(
        RestoreRequest request, IProgress<string>? log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var ((dataSource, storage, layout), backupStore, backup) = request;
        var (dryRun, all) = (request.DryRun, request.All);
        var manifest = await BackupJson.LoadAsync(backupStore, backup, cancellationToken);
        var results = new List<RestoredObject>();
        var restoredPackages = new HashSet<string>(StringComparer.Ordinal);
        await using var connection = await OpenAsync(dataSource, cancellationToken);
        foreach (var entry in manifest.Objects.OrderBy(e => e.Kind).ThenBy(e => e.Key, StringComparer.Ordinal))
        {
            var result = await RestoreAsync(entry);
            results.Add(result);
            if (result.Outcome == RestoreOutcome.Restored)
            {
                log?.Report($"{(dryRun ? "would restore" : "restored")} {entry.Key}");
            }
        }

        return results;

        async Task<RestoredObject> RestoreAsync(BackupEntry entry)
        {
            if (!UnderDaemonPrefix(entry.Key, layout))
            {
                return new RestoredObject(entry.Key, entry.Kind, RestoreOutcome.Skipped,
                    $"not under the daemon's prefixes ({layout.InstalledPath}/, {layout.PackagePath}/, {layout.MediaPath}/): restore never writes anywhere else, not even with {HostWords.Of(UserOption.RestoreAll)}");
            }

            // The daemon may write the same key (an upload or an install) after this HEAD: the PUT below is conditional
            // (If-None-Match: *), so the store refuses it then. On a store that ignores the header the HEAD is all
            // there is, and the window between it and the PUT stays (README, "Repair, backup, restore").
            if (await storage.HeadAsync(entry.Key, cancellationToken) is not null)
            {
                return new RestoredObject(entry.Key, entry.Kind, RestoreOutcome.Present);
            }

            var identifier = ObjectKinds.Identifier(entry.Key, layout);
            if (!all && ObjectKinds.Of(entry.Key, layout) == BackupObjectKind.Other)
            {
                return new RestoredObject(entry.Key, entry.Kind, RestoreOutcome.Skipped, $"not an object the daemon can use (e.g. a junk key a repair removed); {HostWords.Of(UserOption.RestoreAll)} restores it");
            }

            if (!all && entry.Kind == BackupObjectKind.Installed)
            {
                if (!await InstalledLocallyAsync(connection, identifier!, cancellationToken))
                {
                    return new RestoredObject(entry.Key, entry.Kind, RestoreOutcome.Skipped,
                        $"no plugins row has this version installed locally: the daemon would launch an uninstalled plugin (docs/daemon/storage.md#the-30-second-loop, daemon#747); {HostWords.Of(UserOption.RestoreAll)} restores it");
                }

                if (!restoredPackages.Contains(identifier!) && await storage.HeadAsync(layout.PackageKey(identifier!), cancellationToken) is null)
                {
                    return new RestoredObject(entry.Key, entry.Kind, RestoreOutcome.Skipped,
                        $"its package is missing and not in this backup: the daemon would fail to launch it every 30 seconds (docs/daemon/storage.md#the-30-second-loop); {HostWords.Of(UserOption.RestoreAll)} restores it");
                }
            }

            var isPackage = entry.Kind is BackupObjectKind.Package or BackupObjectKind.Installed;
            await using var copy = await DownloadedObject.DownloadAsync(backupStore, entry.BackupKey, computeChecksum: isPackage, cancellationToken);
            if (copy is null || copy.Sha256 != entry.Sha256)
            {
                return new RestoredObject(entry.Key, entry.Kind, RestoreOutcome.Failed,
                    copy is null ? $"the backup copy {entry.BackupKey} is gone" : $"the backup copy {entry.BackupKey} is damaged (SHA-256 {copy.Sha256}, manifest {entry.Sha256})");
            }

            if (isPackage && PluginUniqueIdentifier.TryParse(identifier, out var parsed) && copy.Checksum != parsed.Checksum)
            {
                return new RestoredObject(entry.Key, entry.Kind, RestoreOutcome.Failed,
                    $"the backup copy is not the package of {parsed.Value} (checksum (docs/daemon/packages.md#checksum) {copy.Checksum ?? "unreadable"}); restoring it would put another package under that identifier");
            }

            if (!dryRun && !await copy.PutVerifiedAsync(storage, entry.Key, WriteCondition.Absent, cancellationToken))
            {
                return new RestoredObject(entry.Key, entry.Kind, RestoreOutcome.Present, "written by someone else while restore ran: left as it is");
            }

            if (entry.Kind == BackupObjectKind.Package && identifier is not null)
            {
                restoredPackages.Add(identifier);
            }

            return new RestoredObject(entry.Key, entry.Kind, RestoreOutcome.Restored);
        }
    }

    internal static bool UnderDaemonPrefix(string key, StorageLayout layout) =>
        new[] { layout.InstalledPath, layout.PackagePath, layout.MediaPath }.Any(path => key.StartsWith(path + "/", StringComparison.Ordinal));

    private static async Task<NpgsqlConnection> OpenAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        try
        {
            return await dataSource.OpenConnectionAsync(cancellationToken);
        }
        catch (NpgsqlException ex)
        {
            throw new UnavailableException("database", IntegrityScanner.DatabaseFailure(ex), ex);
        }
    }

    private static async Task<bool> InstalledLocallyAsync(NpgsqlConnection connection, string identifier, CancellationToken cancellationToken)
    {
        try
        {
            await using var command = new NpgsqlCommand(
                "SELECT EXISTS (SELECT 1 FROM plugins WHERE plugin_unique_identifier = $1 AND install_type = 'local' AND refers > 0)", connection);
            command.Parameters.Add(new NpgsqlParameter { Value = identifier });
            return await command.ExecuteScalarAsync(cancellationToken) is true;
        }
        catch (NpgsqlException ex)
        {
            throw new UnavailableException("database", IntegrityScanner.DatabaseFailure(ex), ex);
        }
    }
}
