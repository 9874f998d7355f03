using DbIntegrity.Core.Configuration;
using DbIntegrity.Core.Deployments;
using DbIntegrity.Core.Reporting;
using DbIntegrity.Core.Rules;
using DbIntegrity.Core.Scanning;
using DbIntegrity.IntegrationTests.Infrastructure;
using DbIntegrity.Simulator.Seeding;

namespace DbIntegrity.IntegrationTests.Checking;

/// <summary>
/// A healthy deployment seeded into its own database and store (S3 bucket or local folder) at a given schema version, ready for one fault to be
/// injected and the checker to be run against it.
/// </summary>
internal sealed class DeploymentUnderTest : IAsyncDisposable
{
    private DeploymentUnderTest(TestDatabase database, TestBucket bucket, DeploymentSeeder seeder, SeededDeployment deployment)
    {
        Database = database;
        Bucket = bucket;
        Seeder = seeder;
        Deployment = deployment;
    }

    public TestDatabase Database { get; }

    public TestBucket Bucket { get; }

    public DeploymentSeeder Seeder { get; }

    public SeededDeployment Deployment { get; }

    public static async Task<DeploymentUnderTest> CreateAsync(string version = "latest", HealthyDeploymentOptions? options = null, TestStoreKind store = TestStoreKind.S3)
    {
        var database = await TestDatabase.CreateMigratedAsync(version);
        var bucket = await TestBucket.CreateAsync(store);
        var seeder = await DeploymentSeeder.CreateAsync(new Deployment(database.DataSource, bucket.Store, StorageLayout.Default), CancellationToken.None);
        var deployment = await HealthyDeployment.SeedAsync(seeder, options ?? new HealthyDeploymentOptions(), CancellationToken.None);
        return new DeploymentUnderTest(database, bucket, seeder, deployment);
    }

    public Task<ScanReport> ScanAsync(bool deep = false, TimeSpan? grace = null, IProgress<ScanProgress>? progress = null) =>
        ScanAsync(new ScanOptions { Deep = deep, Grace = grace ?? TimeSpan.Zero }, progress);

    public Task<ScanReport> ScanAsync(ScanOptions options, IProgress<ScanProgress>? progress = null) =>
        IntegrityScanner.ScanAsync(new DeploymentReader(Database.DataSource, Bucket.Store, StorageLayout.Default), options, progress, CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        await Bucket.DisposeAsync();
        await Database.DisposeAsync();
    }

    /// <summary>Error and warning findings counted by rule: what a fault must produce, exactly.</summary>
    public static Dictionary<string, int> Problems(ScanReport report) =>
        report.Findings.Where(f => f.Severity >= Severity.Warning).GroupBy(f => f.Rule).ToDictionary(g => g.Key, g => g.Count());
}
