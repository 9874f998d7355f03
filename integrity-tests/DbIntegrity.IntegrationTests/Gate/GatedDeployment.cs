using DbIntegrity.Core.Configuration;
using DbIntegrity.Core.Deployments;
using DbIntegrity.Core.Migrating;
using DbIntegrity.IntegrationTests.Infrastructure;
using DbIntegrity.Simulator.Seeding;

namespace DbIntegrity.IntegrationTests.Gate;

/// <summary>A test's own database at a schema version and its own bucket, holding a seeded healthy deployment.</summary>
internal sealed class GatedDeployment : IAsyncDisposable
{
    private GatedDeployment(TestDatabase database, TestBucket bucket, SeededDeployment? deployment)
    {
        Database = database;
        Bucket = bucket;
        Deployment = deployment;
    }

    public TestDatabase Database { get; }

    public TestBucket Bucket { get; }

    /// <summary>Null when created empty.</summary>
    public SeededDeployment? Deployment { get; }

    public SettingsSource Environment => CliRunner.Environment(Database, Bucket);

    /// <summary>Migrated to <paramref name="target"/> with <paramref name="catalog"/> (default: the shipped chain), then seeded.</summary>
    public static async Task<GatedDeployment> CreateAsync(string target, bool seed = true, MigrationCatalog? catalog = null)
    {
        var database = await TestDatabase.CreateAsync();
        var bucket = await TestBucket.CreateAsync();
        await using (var migrations = await MigrationService.CreateAsync(database.Settings, catalog ?? MigrationCatalog.Default, CancellationToken.None))
        {
            await migrations.UpAsync(target, CancellationToken.None);
        }

        SeededDeployment? deployment = null;
        if (seed)
        {
            var seeder = await DeploymentSeeder.CreateAsync(new Deployment(database.DataSource, bucket.Store, StorageLayout.Default), CancellationToken.None);
            deployment = await HealthyDeployment.SeedAsync(seeder, new HealthyDeploymentOptions { TenantCount = 4 }, CancellationToken.None);
        }

        return new GatedDeployment(database, bucket, deployment);
    }

    public Task<CliResult> RunAsync(params string[] args) => CliRunner.RunAsync(Environment, args);

    public Task<CliResult> RunAsync(MigrationCatalog catalog, params string[] args) => CliRunner.RunAsync(Environment, catalog, args);

    public async ValueTask DisposeAsync()
    {
        await Bucket.DisposeAsync();
        await Database.DisposeAsync();
    }
}
