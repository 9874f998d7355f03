using System.Text;
using System.Text.Json;
using DbIntegrity.Core.Backup;
using DbIntegrity.Core.Storage;

namespace DbIntegrity.Core.Repair;

/// <summary>
/// Writes the backup of an apply before anything changes: every object it will delete or overwrite is copied (and
/// read back), and rows.json, restore.sql, manifest.json and plan.json go next to the copies.
/// </summary>
internal static class RepairBackupWriter
{
    public static async Task WriteAsync(
        ApplySession session, RepairPlan plan, IReadOnlyList<(RepairFix Fix, RepairStep Step)> pending, BackupLocation location, string backupId,
        DateTimeOffset now, string? localDirectory, IProgress<string>? log, CancellationToken cancellationToken)
    {
        var rows = new List<RowChange>();
        var objects = new List<BackupEntry>();
        var store = session.Bucket(location.Bucket);
        foreach (var (fix, step) in pending)
        {
            switch (step)
            {
                case RepairStep.DeleteRow delete:
                    rows.Add(new RowChange { Fix = fix.Id, Change = RowChangeKind.Deleted, Table = delete.Table, Id = delete.Id, Before = LiveState.PlannedRow(fix, delete.Table, delete.Id) });
                    break;
                case RepairStep.UpdateRow update:
                    rows.Add(new RowChange { Fix = fix.Id, Change = RowChangeKind.Updated, Table = update.Table, Id = update.Id, Before = LiveState.PlannedRow(fix, update.Table, update.Id), Values = update.Set });
                    break;
                case RepairStep.InsertRow insert:
                    rows.Add(new RowChange { Fix = fix.Id, Change = RowChangeKind.Inserted, Table = insert.Table, Id = insert.Id, Values = insert.Values });
                    break;
                case RepairStep.DeleteObject delete:
                    await CopyAsync(delete.Key);
                    break;
                case RepairStep.CopyObject { Replaces: not null } copy:
                    await CopyAsync(copy.DestinationKey);
                    break;
            }
        }

        var manifest = new BackupManifest
        {
            Id = backupId,
            Origin = "repair",
            CreatedAt = now,
            SourceBucket = session.Store.Bucket,
            Database = session.Database,
            Objects = objects,
        };
        var files = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["rows.json"] = JsonSerializer.Serialize(new RepairRowsBackup { BackupId = backupId, CreatedAt = now, Database = session.Database, Rows = rows }, RepairPlanJson.Options),
            ["restore.sql"] = RestoreScript.Build(backupId, session.Database, session.Schema.SchemaName, rows),
            ["plan.json"] = RepairPlanJson.Write(plan),
            [BackupManifest.FileName] = BackupJson.Write(manifest),
        };

        if (localDirectory is not null)
        {
            try
            {
                Directory.CreateDirectory(localDirectory);
                foreach (var (name, text) in files)
                {
                    // CreateNew: never replace the files of another apply.
                    await using var file = new FileStream(Path.Combine(localDirectory, name), FileMode.CreateNew, FileAccess.Write);
                    await file.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new ConfigurationException($"Cannot write the local backup to {localDirectory}: {ex.Message}. Nothing was changed.");
            }
        }

        // The manifest goes last: a backup with a manifest is complete.
        foreach (var (name, text) in files.OrderBy(kv => kv.Key == BackupManifest.FileName))
        {
            await store.PutAsync(location.Key(name), Encoding.UTF8.GetBytes(text), cancellationToken);
        }

        log?.Report($"backup written to {location} ({rows.Count} row(s), {objects.Count} object(s))");

        async Task CopyAsync(string key)
        {
            if (objects.Any(o => o.Key == key))
            {
                return;
            }

            var kind = ObjectKinds.Of(key, session.Layout);
            await using var downloaded = await DownloadedObject.DownloadAsync(session.Store, key, computeChecksum: kind is BackupObjectKind.Package or BackupObjectKind.Installed, cancellationToken);
            if (downloaded is null)
            {
                return;
            }

            var backupKey = location.ObjectKey(key);
            if (!await downloaded.PutVerifiedAsync(store, backupKey, WriteCondition.Absent, cancellationToken))
            {
                throw new UnavailableException("storage", $"s3://{store.Bucket}/{backupKey} already exists: a backup never replaces another backup's copy. Nothing was changed; run the apply again (it gets a new backup folder).");
            }

            objects.Add(new BackupEntry(key, backupKey, downloaded.Size, downloaded.Sha256, downloaded.Checksum, kind));
        }
    }
}
