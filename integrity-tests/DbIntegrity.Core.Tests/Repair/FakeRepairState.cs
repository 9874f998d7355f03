using System.Text.Json;
using DbIntegrity.Core.Configuration;
using DbIntegrity.Core.Database;
using DbIntegrity.Core.Repair;
using DbIntegrity.Core.Storage;

namespace DbIntegrity.Core.Tests.Repair;

/// <summary>An in-memory <see cref="IRepairState"/> for planner unit tests: rows per table, objects with their checksums.</summary>
internal sealed class FakeRepairState : IRepairState
{
    private readonly Dictionary<string, List<JsonElement>> _rows = new(StringComparer.Ordinal);
    private readonly Dictionary<(string? Bucket, string Key), (StoredObject Object, string? Checksum)> _objects = [];
    private readonly Dictionary<string, BackupCopy> _backups = new(StringComparer.Ordinal);

    public DatabaseSchema Schema { get; set; } = DaemonSchema();

    public StorageLayout Layout { get; } = StorageLayout.Default;

    public static DatabaseSchema DaemonSchema()
    {
        var common = new[] { "id", "created_at", "updated_at" };
        var tables = new Dictionary<string, string[]>
        {
            ["plugins"] = ["plugin_unique_identifier", "plugin_id", "refers", "install_type", "manifest_type", "remote_declaration", "source"],
            ["plugin_declarations"] = ["plugin_unique_identifier", "plugin_id", "declaration"],
            ["plugin_installations"] = ["tenant_id", "plugin_id", "plugin_unique_identifier", "runtime_type", "source", "meta"],
            ["tool_installations"] = ["tenant_id", "provider", "plugin_unique_identifier", "plugin_id"],
            ["ai_model_installations"] = ["provider", "tenant_id", "plugin_unique_identifier", "plugin_id"],
            ["agent_strategy_installations"] = ["tenant_id", "provider", "plugin_unique_identifier", "plugin_id"],
        };
        return new DatabaseSchema("public", tables.ToDictionary(
            kv => kv.Key,
            kv => new TableInfo(kv.Key, [.. common.Concat(kv.Value).Select((c, i) => new ColumnInfo(c, "text", c != "id", null, i + 1))])), []);
    }

    public JsonElement Add(string table, params (string Column, object? Value)[] values)
    {
        var row = new Dictionary<string, object?> { ["id"] = Guid.NewGuid().ToString(), ["created_at"] = $"2026-01-01T00:00:{_rows.Values.Sum(r => r.Count):00}+00:00" };
        foreach (var (column, value) in values)
        {
            row[column] = value;
        }

        var element = JsonSerializer.SerializeToElement(row);
        if (!_rows.TryGetValue(table, out var list))
        {
            _rows[table] = list = [];
        }

        list.Add(element);
        return element;
    }

    public void Put(string key, string? checksum, long size = 100, string? bucket = null) =>
        _objects[(bucket, key)] = (new StoredObject(key, size, DateTimeOffset.UnixEpoch, $"\"etag-{key.Length}-{size}\""), checksum);

    public void Backup(string key, string bucket, string backupKey, string? checksum)
    {
        _backups[key] = new BackupCopy(bucket, backupKey);
        Put(backupKey, checksum, bucket: bucket);
    }

    public Task<JsonElement?> RowAsync(string table, string id, CancellationToken cancellationToken) =>
        Task.FromResult<JsonElement?>(Rows(table).FirstOrDefault(r => RowJson.Id(r) == id) is { ValueKind: JsonValueKind.Object } row ? row : null);

    public Task<IReadOnlyList<JsonElement>> RowsAsync(string table, IReadOnlyDictionary<string, string?> where, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<JsonElement>>([.. Rows(table).Where(r => where.All(kv => RowJson.Text(r, kv.Key) == kv.Value))]);

    public async Task<long> CountAsync(string table, IReadOnlyDictionary<string, string?> where, CancellationToken cancellationToken) =>
        (await RowsAsync(table, where, cancellationToken)).Count;

    public Task<StoredObject?> HeadAsync(string key, CancellationToken cancellationToken) =>
        Task.FromResult(_objects.TryGetValue((null, key), out var entry) ? entry.Object : null);

    public Task<string?> ChecksumAsync(string? bucket, string key, CancellationToken cancellationToken) =>
        Task.FromResult(_objects.TryGetValue((bucket, key), out var entry) ? entry.Checksum : null);

    public BackupCopy? FindBackupCopy(string key) => _backups.GetValueOrDefault(key);

    private List<JsonElement> Rows(string table) => _rows.GetValueOrDefault(table) ?? [];
}
