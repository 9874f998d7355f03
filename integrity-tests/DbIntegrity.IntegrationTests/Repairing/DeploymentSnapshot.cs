using DbIntegrity.Core.Database;
using DbIntegrity.IntegrationTests.Infrastructure;

namespace DbIntegrity.IntegrationTests.Repairing;

/// <summary>
/// Every row of every table (as <c>row_to_json</c> text, by table and id) and every object (by key, with its ETag):
/// what "every healthy row and object stays" and "the backup restores the rows exactly" are compared on.
/// </summary>
internal sealed record DeploymentSnapshot(IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Rows, IReadOnlyDictionary<string, string?> Objects)
{
    public static async Task<DeploymentSnapshot> TakeAsync(TestDatabase database, TestBucket bucket)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync();
        var schema = await SchemaInspector.InspectAsync(connection, CancellationToken.None);
        var rows = new SortedDictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);
        foreach (var table in schema.Tables.Values.Where(t => t.HasColumn("id")))
        {
            var byId = new SortedDictionary<string, string>(StringComparer.Ordinal);
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT id::text, row_to_json(t)::text FROM \"{table.Name}\" t";
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                byId[reader.GetString(0)] = reader.GetString(1);
            }

            rows[table.Name] = byId;
        }

        var objects = new SortedDictionary<string, string?>(StringComparer.Ordinal);
        await foreach (var entry in bucket.Store.ListAsync(string.Empty, CancellationToken.None))
        {
            objects[entry.Key] = entry.ETag;
        }

        return new DeploymentSnapshot(rows, objects);
    }

    /// <summary>The rows of this snapshot that are not in <paramref name="other"/> or differ there, as table/id.</summary>
    public IReadOnlyList<string> RowsChangedIn(DeploymentSnapshot other) =>
        [.. Rows.SelectMany(t => t.Value.Where(r => other.Rows.GetValueOrDefault(t.Key)?.GetValueOrDefault(r.Key) != r.Value).Select(r => $"{t.Key}/{r.Key}"))];

    /// <summary>The objects of this snapshot that are not in <paramref name="other"/> or have another ETag there.</summary>
    public IReadOnlyList<string> ObjectsChangedIn(DeploymentSnapshot other, string? underPrefix = null) =>
        [.. Objects.Where(o => (underPrefix is null || o.Key.StartsWith(underPrefix, StringComparison.Ordinal))
            && (!other.Objects.TryGetValue(o.Key, out var etag) || etag != o.Value)).Select(o => o.Key)];
}
