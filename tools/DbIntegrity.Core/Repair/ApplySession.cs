using DbIntegrity.Core.Configuration;
using DbIntegrity.Core.Database;
using DbIntegrity.Core.Storage;
using Npgsql;

namespace DbIntegrity.Core.Repair;

/// <summary>What one apply works with: its connection (holding the apply lock), the schema, the buckets.</summary>
internal sealed class ApplySession
{
    public required NpgsqlConnection Connection { get; init; }

    public required DatabaseSchema Schema { get; init; }

    /// <summary>The daemon's bucket.</summary>
    public required IObjectStore Store { get; init; }

    /// <summary>Another bucket on the same endpoint (backups).</summary>
    public required Func<string, IObjectStore> Bucket { get; init; }

    public required StorageLayout Layout { get; init; }

    public required string Database { get; init; }

    /// <summary>The transaction reads and writes run in; set by each phase.</summary>
    public NpgsqlTransaction? Transaction { get; set; }

    public IObjectStore StoreFor(string? bucket) => bucket is null || bucket == Store.Bucket ? Store : Bucket(bucket);
}
