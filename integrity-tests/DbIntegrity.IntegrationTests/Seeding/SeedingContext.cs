using DbIntegrity.Core.Configuration;
using DbIntegrity.Core.Deployments;
using DbIntegrity.IntegrationTests.Infrastructure;
using DbIntegrity.Simulator.Seeding;
using Npgsql;

namespace DbIntegrity.IntegrationTests.Seeding;

/// <summary>A test's own database (with a daemon schema) and bucket, a seeder over them, and ways to look at the result.</summary>
internal sealed class SeedingContext : IAsyncDisposable
{
    private SeedingContext(TestDatabase database, TestBucket bucket, DeploymentSeeder seeder)
    {
        Database = database;
        Bucket = bucket;
        Seeder = seeder;
    }

    public TestDatabase Database { get; }

    public TestBucket Bucket { get; }

    public DeploymentSeeder Seeder { get; }

    public static async Task<SeedingContext> CreateAsync(string version = DaemonSchema.Current, SeederOptions? options = null)
    {
        var database = await TestDatabase.CreateAsync();
        TestBucket? bucket = null;
        try
        {
            await DaemonSchema.CreateAsync(database, version);
            bucket = await TestBucket.CreateAsync();
            var seeder = await DeploymentSeeder.CreateAsync(new Deployment(database.DataSource, bucket.Store, StorageLayout.Default), options ?? new SeederOptions(), CancellationToken.None);
            return new SeedingContext(database, bucket, seeder);
        }
        catch
        {
            if (bucket is not null)
            {
                await bucket.DisposeAsync();
            }

            await database.DisposeAsync();
            throw;
        }
    }

    public async Task<byte[]?> ObjectAsync(string key)
    {
        await using var stream = await Bucket.Store.OpenReadAsync(key, CancellationToken.None);
        if (stream is null)
        {
            return null;
        }

        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    /// <summary>Rows as column → value maps; parameters bind to $1, $2, … in order.</summary>
    public async Task<IReadOnlyList<Dictionary<string, object?>>> RowsAsync(string sql, params object[] parameters)
    {
        await using var command = Database.DataSource.CreateCommand(sql);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<Dictionary<string, object?>>();
        while (await reader.ReadAsync())
        {
            var row = new Dictionary<string, object?>(StringComparer.Ordinal);
            for (var i = 0; i < reader.FieldCount; i++)
            {
                row[reader.GetName(i)] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }

    public async Task<long> CountAsync(string table) => (await RowsAsync($"SELECT count(*) AS n FROM {table}"))[0]["n"] as long? ?? 0;

    public async ValueTask DisposeAsync()
    {
        await Bucket.DisposeAsync();
        await Database.DisposeAsync();
    }
}
