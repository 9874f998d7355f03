using System.Text;
using DbIntegrity.Core.Configuration;
using DbIntegrity.Core.Database;
using DbIntegrity.Core.Deployments;
using DbIntegrity.Core.Packages;
using DbIntegrity.Core.Plugins;
using DbIntegrity.Core.Scanning;
using DbIntegrity.Core.Storage;
using Npgsql;

namespace DbIntegrity.Core.Backup;

/// <summary>
/// <c>dbintegrity backup</c>: copies every package and installed marker the database refers to (and, when asked, every
/// icon the declarations name) into <c>&lt;location&gt;/backup-&lt;time&gt;/objects/&lt;key&gt;</c>, reads every copy back
/// to verify it, and writes manifest.json (key, size, SHA-256, §6.3 checksum) last. Reads the daemon's bucket and
/// database only; writes only under the backup location.
/// </summary>
public static class BackupService
{
    public static async Task<BackupResult> RunAsync(
        Deployment deployment, IObjectStore backupStore, BackupLocation root, bool includeAssets, IProgress<string>? log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        var (dataSource, storage, layout) = deployment;
        ArgumentNullException.ThrowIfNull(backupStore);
        ArgumentNullException.ThrowIfNull(root);
        root.EnsureOutside(storage.Bucket, layout);
        var now = DateTimeOffset.UtcNow;
        var id = $"backup-{now:yyyyMMdd'T'HHmmssfff'Z'}";
        var location = root.Child(id);
        var connection = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString);
        var database = $"{connection.Host}:{connection.Port}/{connection.Database}";

        IReadOnlyList<(string Key, BackupObjectKind Kind, string ReferencedBy)> wanted;
        try
        {
            wanted = await ReferencedObjectsAsync(dataSource, layout, includeAssets, cancellationToken);
        }
        catch (NpgsqlException ex)
        {
            throw new UnavailableException("database", IntegrityScanner.DatabaseFailure(ex), ex);
        }

        log?.Report($"{wanted.Count} object(s) referenced; copying to {location}");
        var entries = new List<BackupEntry>();
        var missing = new List<MissingObject>();
        var mismatches = new List<BackupEntry>();
        foreach (var (key, kind, referencedBy) in wanted)
        {
            var isPackage = kind is BackupObjectKind.Package or BackupObjectKind.Installed;
            await using var downloaded = await DownloadedObject.DownloadAsync(storage, key, computeChecksum: isPackage, cancellationToken);
            if (downloaded is null)
            {
                missing.Add(new MissingObject(key, kind, referencedBy));
                continue;
            }

            var backupKey = location.ObjectKey(key);
            await downloaded.PutVerifiedAsync(backupStore, backupKey, cancellationToken);
            var entry = new BackupEntry(key, backupKey, downloaded.Size, downloaded.Sha256, downloaded.Checksum, kind);
            entries.Add(entry);
            if (isPackage && PluginUniqueIdentifier.TryParse(ObjectKinds.Identifier(key, layout), out var identifier) && identifier.Checksum != downloaded.Checksum)
            {
                mismatches.Add(entry);
            }
        }

        var manifest = new BackupManifest
        {
            Id = id,
            Origin = "backup",
            CreatedAt = now,
            SourceBucket = storage.Bucket,
            Database = database,
            Objects = entries,
            Missing = missing,
        };
        await backupStore.PutAsync(location.Key(BackupManifest.FileName), Encoding.UTF8.GetBytes(BackupJson.Write(manifest)), cancellationToken);
        return new BackupResult(location, manifest, mismatches);
    }

    // Distinct keys in key order: packages of every identifier a declaration, a local or serverless plugins row or a
    // non-remote installation names; markers of local plugins rows (reference §3.2, §3.4, §7.2, §7.8); icons of
    // declarations and of remote plugins' declarations (§6.2, §7.7).
    private static async Task<IReadOnlyList<(string Key, BackupObjectKind Kind, string ReferencedBy)>> ReferencedObjectsAsync(
        NpgsqlDataSource dataSource, StorageLayout layout, bool includeAssets, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
        await using (var readOnly = new NpgsqlCommand("SET TRANSACTION READ ONLY", connection, transaction))
        {
            await readOnly.ExecuteNonQueryAsync(cancellationToken);
        }

        var schema = await SchemaInspector.InspectAsync(connection, cancellationToken, transaction);
        var keys = new SortedDictionary<string, (BackupObjectKind Kind, string ReferencedBy)>(StringComparer.Ordinal);
        void Want(string key, BackupObjectKind kind, string referencedBy) => keys.TryAdd(key, (kind, referencedBy));

        var installType = schema.HasColumn("plugins", "install_type") ? "install_type" : "NULL::text";
        await foreach (var (identifier, type) in QueryAsync(connection, transaction, $"SELECT plugin_unique_identifier, {installType} FROM plugins WHERE plugin_unique_identifier IS NOT NULL", cancellationToken))
        {
            // Any install_type but remote needs the package, including values outside the daemon's vocabulary.
            if (type is not "remote")
            {
                Want(layout.PackageKey(identifier), BackupObjectKind.Package, "plugins");
            }

            if (type is "local")
            {
                Want(layout.InstalledKey(identifier), BackupObjectKind.Installed, "plugins");
            }
        }

        await foreach (var (identifier, _) in QueryAsync(connection, transaction, "SELECT plugin_unique_identifier, NULL::text FROM plugin_declarations WHERE plugin_unique_identifier IS NOT NULL", cancellationToken))
        {
            Want(layout.PackageKey(identifier), BackupObjectKind.Package, "plugin_declarations");
        }

        if (schema.HasColumn("plugin_installations", "runtime_type"))
        {
            await foreach (var (identifier, _) in QueryAsync(connection, transaction,
                "SELECT plugin_unique_identifier, NULL::text FROM plugin_installations WHERE plugin_unique_identifier IS NOT NULL AND runtime_type IS DISTINCT FROM 'remote'", cancellationToken))
            {
                Want(layout.PackageKey(identifier), BackupObjectKind.Package, "plugin_installations");
            }
        }

        if (includeAssets && schema.HasColumn("plugin_declarations", "declaration"))
        {
            await foreach (var (declaration, _) in QueryAsync(connection, transaction, "SELECT declaration, NULL::text FROM plugin_declarations WHERE declaration IS NOT NULL", cancellationToken))
            {
                foreach (var asset in DeclarationReader.Read(declaration).Declaration?.AssetIds ?? [])
                {
                    Want(layout.AssetKey(asset), BackupObjectKind.Asset, "plugin_declarations");
                }
            }

            if (schema.HasColumn("plugins", "remote_declaration") && schema.HasColumn("plugins", "install_type"))
            {
                await foreach (var (declaration, _) in QueryAsync(connection, transaction,
                    "SELECT remote_declaration, NULL::text FROM plugins WHERE install_type = 'remote' AND remote_declaration IS NOT NULL", cancellationToken))
                {
                    foreach (var asset in DeclarationReader.Read(declaration).Declaration?.AssetIds ?? [])
                    {
                        Want(layout.AssetKey(asset), BackupObjectKind.Asset, "plugins.remote_declaration");
                    }
                }
            }
        }

        return [.. keys.Select(kv => (kv.Key, kv.Value.Kind, kv.Value.ReferencedBy))];
    }

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA2100", Justification = "Fixed SQL; only the column name comes from the inspected schema.")]
    private static async IAsyncEnumerable<(string First, string? Second)> QueryAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return (reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1));
        }
    }
}
