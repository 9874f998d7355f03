using System.Collections.Concurrent;
using System.Text.Json;
using DbIntegrity.Core.Backup;
using DbIntegrity.Core.Configuration;
using DbIntegrity.Core.Database;
using DbIntegrity.Core.Deployments;
using DbIntegrity.Core.Storage;
using Npgsql;

namespace DbIntegrity.Core.Repair;

/// <summary>
/// <see cref="IRepairState"/> over the live database (one REPEATABLE READ READ ONLY transaction) and the bucket
/// (HEAD and GET only): planning needs exactly what a check needs.
/// </summary>
internal sealed class DatabaseRepairState : IRepairState, IAsyncDisposable
{
    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction _transaction;
    private readonly IObjectReader _storage;
    private readonly Func<string, IObjectReader> _otherBucket;
    private readonly IReadOnlyList<LoadedBackup> _backups;
    private readonly ConcurrentDictionary<(string?, string), string?> _checksums = new();

    private DatabaseRepairState(
        NpgsqlConnection connection, NpgsqlTransaction transaction, DatabaseSchema schema, IObjectReader storage, StorageLayout layout,
        Func<string, IObjectReader> otherBucket, IReadOnlyList<LoadedBackup> backups)
    {
        _connection = connection;
        _transaction = transaction;
        Schema = schema;
        _storage = storage;
        Layout = layout;
        _otherBucket = otherBucket;
        _backups = backups;
    }

    public DatabaseSchema Schema { get; }

    public StorageLayout Layout { get; }

    public static async Task<DatabaseRepairState> OpenAsync(
        DeploymentReader deployment, Func<string, IObjectReader> otherBucket, IReadOnlyList<LoadedBackup> backups, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        var connection = await deployment.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
            await using (var setup = new NpgsqlCommand($"SET TRANSACTION READ ONLY; {RepairSql.SessionSetup}", connection, transaction))
            {
                await setup.ExecuteNonQueryAsync(cancellationToken);
            }

            var schema = await SchemaInspector.InspectAsync(connection, cancellationToken, transaction);
            return new DatabaseRepairState(connection, transaction, schema, deployment.Store, deployment.Layout, otherBucket, backups);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public Task<JsonElement?> RowAsync(string table, string id, CancellationToken cancellationToken) =>
        RepairSql.RowAsync(_connection, _transaction, Schema, table, id, forUpdate: false, cancellationToken);

    public Task<IReadOnlyList<JsonElement>> RowsAsync(string table, IReadOnlyDictionary<string, string?> where, CancellationToken cancellationToken) =>
        RepairSql.RowsAsync(_connection, _transaction, Schema, table, where, cancellationToken);

    public Task<long> CountAsync(string table, IReadOnlyDictionary<string, string?> where, CancellationToken cancellationToken) =>
        RepairSql.CountAsync(_connection, _transaction, Schema, table, where, cancellationToken);

    public Task<StoredObject?> HeadAsync(string key, CancellationToken cancellationToken) => _storage.HeadAsync(key, cancellationToken);

    public async Task<string?> ChecksumAsync(string? bucket, string key, CancellationToken cancellationToken)
    {
        if (_checksums.TryGetValue((bucket, key), out var known))
        {
            return known;
        }

        var reader = bucket is null ? _storage : _otherBucket(bucket);
        await using var downloaded = await DownloadedObject.DownloadAsync(reader, key, computeChecksum: true, cancellationToken);
        return _checksums[(bucket, key)] = downloaded?.Checksum;
    }

    public BackupCopy? FindBackupCopy(string key) =>
        _backups.OrderByDescending(b => b.Manifest.CreatedAt)
            .SelectMany(b => b.Manifest.Objects.Where(o => o.Key == key).Select(o => new BackupCopy(b.Location.Bucket, o.BackupKey)))
            .FirstOrDefault();

    public async ValueTask DisposeAsync()
    {
        await _transaction.DisposeAsync();
        await _connection.DisposeAsync();
    }
}
