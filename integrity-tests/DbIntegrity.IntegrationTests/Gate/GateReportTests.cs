using System.Text.Json;
using System.Xml.Linq;
using DbIntegrity.Cli;
using DbIntegrity.Core.Configuration;
using DbIntegrity.Core.Deployments;
using DbIntegrity.Core.Migrating;
using DbIntegrity.Core.Rules;
using DbIntegrity.IntegrationTests.Infrastructure;
using DbIntegrity.Simulator.Seeding;
using Npgsql;
using Respawn;
using Respawn.Graph;

namespace DbIntegrity.IntegrationTests.Gate;

/// <summary>
/// The gate's report formats on one shared database at the latest schema: Respawn empties the daemon's tables before
/// each test (the version table and the migration checksums stay, so the schema stays versioned and verifiable), the
/// bucket is emptied, and each test seeds what it needs.
/// </summary>
[Category("Integration")]
[Parallelizable(ParallelScope.Self)]
public sealed class GateReportTests
{
    private TestDatabase _database = null!;
    private TestBucket _bucket = null!;
    private Respawner _respawner = null!;

    [OneTimeSetUp]
    public async Task CreateSharedDatabaseAsync()
    {
        _database = await TestDatabase.CreateMigratedAsync();
        _bucket = await TestBucket.CreateAsync();
        await using var connection = await _database.DataSource.OpenConnectionAsync();
        _respawner = await Respawner.CreateAsync(connection, new RespawnerOptions
        {
            DbAdapter = DbAdapter.Postgres,
            SchemasToInclude = ["public"],
            TablesToIgnore = [new Table(VersionTableName), new Table("dbintegrity_migration_checksums")],
        });
    }

    [SetUp]
    public async Task ResetAsync()
    {
        await using (var connection = await _database.DataSource.OpenConnectionAsync())
        {
            await _respawner.ResetAsync(connection);
        }

        foreach (var key in await _bucket.KeysAsync())
        {
            await _bucket.Store.DeleteAsync(key, CancellationToken.None);
        }

        var seeder = await DeploymentSeeder.CreateAsync(new Deployment(_database.DataSource, _bucket.Store, StorageLayout.Default), CancellationToken.None);
        await HealthyDeployment.SeedAsync(seeder, CancellationToken.None);
    }

    [OneTimeTearDown]
    public async Task DropSharedDatabaseAsync()
    {
        await _bucket.DisposeAsync();
        await _database.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
    }

    [Test]
    public async Task In_junit_every_rule_every_precondition_and_every_migration_check_is_a_test_case()
    {
        var run = await RunAsync("gate", "--grace", "0", "--format", "junit");

        Assert.That(run.ExitCode, Is.EqualTo((int)ExitCode.Success), run.ToString());
        var cases = XDocument.Parse(run.Stdout).Descendants("testcase").Select(c => ((string)c.Attribute("classname")!, (string)c.Attribute("name")!)).ToList();
        var preconditions = MigrationCatalog.Default.Migrations.SelectMany(m => m.Preconditions.Select(p => ("dbintegrity.preconditions", $"{m.Id} {p.Id}")));
        var rules = RuleCatalog.Descriptors.Select(d => ("dbintegrity.rules", d.Id));
        var unchanged = MigrationCatalog.Default.Migrations.Select(m => ("dbintegrity.migrations", $"migration {m.Id} is unchanged since it was applied"));
        Assert.That(cases, Is.SupersetOf(preconditions.Concat(rules).Concat(unchanged)));
        Assert.That(XDocument.Parse(run.Stdout).Descendants("failure"), Is.Empty);
    }

    [Test]
    public async Task Json_names_the_verdict_the_blockers_and_each_precondition_and_markdown_says_blocked()
    {
        // Given a tenant with two installations of one plugin, which the 0.5.1 unique index would have refused.
        await _database.ExecuteAsync("DROP INDEX IF EXISTS idx_tenant_plugin");
        try
        {
            await _database.ExecuteAsync(
                "INSERT INTO plugin_installations (id, created_at, updated_at, tenant_id, plugin_id, plugin_unique_identifier, runtime_type, source, meta) "
                + "SELECT gen_random_uuid(), created_at, updated_at, tenant_id, plugin_id, plugin_unique_identifier, runtime_type, source, meta FROM plugin_installations LIMIT 1");

            var json = await RunAsync("gate", "--grace", "0", "--format", "json");
            var markdown = await RunAsync("gate", "--grace", "0", "--format", "markdown", "--no-record");

            Assert.That(json.ExitCode, Is.EqualTo((int)ExitCode.Findings), json.ToString());
            using var document = JsonDocument.Parse(json.Stdout);
            var root = document.RootElement;
            Assert.Multiple(() =>
            {
                Assert.That(root.GetProperty("verdict").GetString(), Is.EqualTo("block"));
                Assert.That(root.GetProperty("blockers").EnumerateArray().Select(b => b.GetString()), Has.Some.Contains("duplicate-installation"));
                Assert.That(root.GetProperty("check").GetProperty("status").GetString(), Is.EqualTo("inconsistent"));
                Assert.That(root.GetProperty("preconditions").EnumerateArray().Select(p => p.GetProperty("status").GetString()), Is.All.EqualTo("not-due"));
                Assert.That(root.GetProperty("recordedRunId").GetInt64(), Is.GreaterThan(0));
                Assert.That(markdown.ExitCode, Is.EqualTo((int)ExitCode.Findings));
                Assert.That(markdown.Stdout, Does.StartWith("## DbIntegrity gate: ❌ blocked"));
            });
        }
        finally
        {
            await _database.ExecuteAsync("DELETE FROM plugin_installations");
            await _database.ExecuteAsync("CREATE UNIQUE INDEX idx_tenant_plugin ON plugin_installations (tenant_id, plugin_id)");
        }
    }

    private const string VersionTableName = "dbintegrity_version_info";

    private Task<CliResult> RunAsync(params string[] args) => CliRunner.RunAsync(CliRunner.Environment(_database, _bucket), args);
}
