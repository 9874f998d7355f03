using System.Text.Json;
using DbIntegrity.Core.Configuration;
using DbIntegrity.Core.Database;
using DbIntegrity.Core.Storage;

namespace DbIntegrity.Core.Repair;

/// <summary>
/// What the planner may look at beyond the findings: rows (as <c>row_to_json</c>), counts, objects and package
/// checksums. Read-only. The database answers come from one snapshot.
/// </summary>
internal interface IRepairState
{
    DatabaseSchema Schema { get; }

    StorageLayout Layout { get; }

    Task<JsonElement?> RowAsync(string table, string id, CancellationToken cancellationToken);

    /// <summary>Rows with these column values, oldest first.</summary>
    Task<IReadOnlyList<JsonElement>> RowsAsync(string table, IReadOnlyDictionary<string, string?> where, CancellationToken cancellationToken);

    Task<long> CountAsync(string table, IReadOnlyDictionary<string, string?> where, CancellationToken cancellationToken);

    /// <summary>An object of the daemon's bucket, or null.</summary>
    Task<StoredObject?> HeadAsync(string key, CancellationToken cancellationToken);

    /// <summary>The checksum (docs/daemon/packages.md#checksum) of an object (the daemon's bucket when <paramref name="bucket"/> is null); null when it is missing or not a readable package.</summary>
    Task<string?> ChecksumAsync(string? bucket, string key, CancellationToken cancellationToken);

    /// <summary>The newest copy of the daemon's <paramref name="key"/> in the backups given with --from-backup, or null.</summary>
    BackupCopy? FindBackupCopy(string key);
}

/// <summary>Where a backup keeps a copy of a daemon object.</summary>
internal sealed record BackupCopy(string Bucket, string Key);
