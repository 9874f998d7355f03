using DbIntegrity.Core.Configuration;
using DbIntegrity.Core.Database;
using DbIntegrity.Core.Deployments;
using DbIntegrity.Core.Migrating;
using DbIntegrity.Core.Reporting;
using DbIntegrity.Core.Rules;
using DbIntegrity.Core.Scanning;
using DbIntegrity.IntegrationTests.Infrastructure;
using DbIntegrity.IntegrationTests.Migrating;
using DbIntegrity.Simulator.Seeding;

namespace DbIntegrity.IntegrationTests.Suite;

/// <summary>
/// One database and bucket for a suite case, with the checks the suite asserts around each migration: a scan, the
/// error and warning findings by fingerprint, and every daemon row restricted to a given shape.
/// </summary>
internal sealed class SuiteDeployment : IAsyncDisposable
{
    private SuiteDeployment(TestDatabase database, TestBucket bucket, MigrationService migrations)
    {
        Database = database;
        Bucket = bucket;
        Migrations = migrations;
    }

    public TestDatabase Database { get; }

    public TestBucket Bucket { get; }

    public MigrationService Migrations { get; }

    public SeededDeployment? Seeded { get; private set; }

    /// <summary>A new database migrated to <paramref name="migrationId"/> (0: empty) and an empty bucket.</summary>
    public static async Task<SuiteDeployment> AtAsync(long migrationId)
    {
        var database = await TestDatabase.CreateAsync();
        var bucket = await TestBucket.CreateAsync();
        var migrations = await MigrationService.CreateAsync(database.Settings, CancellationToken.None);
        if (migrationId != 0)
        {
            await migrations.UpAsync(Id(migrationId), CancellationToken.None);
        }

        return new SuiteDeployment(database, bucket, migrations);
    }

    public static string Id(long migrationId) => migrationId.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Several tenants; tool, model, agent-strategy (and datasource/trigger where the schema has them) plugins; endpoints, packages, markers, assets.</summary>
    public async Task<SeededDeployment> SeedHealthyAsync()
    {
        var seeder = await DeploymentSeeder.CreateAsync(new Deployment(Database.DataSource, Bucket.Store, StorageLayout.Default), CancellationToken.None);
        Seeded = await HealthyDeployment.SeedAsync(seeder, new HealthyDeploymentOptions { TenantCount = 4 }, CancellationToken.None);
        return Seeded;
    }

    public async Task<DatabaseSchema> SchemaAsync()
    {
        await using var connection = await Database.DataSource.OpenConnectionAsync();
        return await SchemaInspector.InspectAsync(connection, CancellationToken.None);
    }

    public Task<ScanReport> ScanAsync() =>
        IntegrityScanner.ScanAsync(new DeploymentReader(Database.DataSource, Bucket.Store, StorageLayout.Default), new ScanOptions { Grace = TimeSpan.Zero }, progress: null, CancellationToken.None);

    /// <summary>Error and warning findings by fingerprint: what a migration must neither hide nor create.</summary>
    public static IReadOnlyList<string> Problems(ScanReport report) =>
        [.. report.Findings.Where(f => f.Severity >= Severity.Warning).Select(f => f.Fingerprint).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    /// <summary>Every row of every daemon table of <paramref name="shape"/>, restricted to its columns, as JSON lines.</summary>
    public async Task<IReadOnlyList<string>> RowsAsync(DatabaseSchema shape)
    {
        var rows = new List<string>();
        foreach (var table in shape.Tables.Values.Where(t => SchemaSnapshot.IsDaemonTable(t.Name)).OrderBy(t => t.Name, StringComparer.Ordinal))
        {
            var columns = string.Join(", ", table.Columns.OrderBy(c => c.Position).Select(c => $"\"{c.Name}\""));
            await using var command = Database.DataSource.CreateCommand(
                $"SELECT '{table.Name} ' || row_to_json(r)::text FROM (SELECT {columns} FROM \"{table.Name}\") r ORDER BY 1");
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                rows.Add(reader.GetString(0));
            }
        }

        return rows;
    }

    public async ValueTask DisposeAsync()
    {
        await Migrations.DisposeAsync();
        await Bucket.DisposeAsync();
        await Database.DisposeAsync();
    }
}
