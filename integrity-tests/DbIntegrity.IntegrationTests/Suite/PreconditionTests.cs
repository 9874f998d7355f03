using DbIntegrity.Cli;
using DbIntegrity.Core.Migrating;
using DbIntegrity.IntegrationTests.Gate;
using DbIntegrity.IntegrationTests.Infrastructure;
using DbIntegrity.Migrations.Preconditions;

namespace DbIntegrity.IntegrationTests.Suite;

/// <summary>
/// Each precondition of the chain blocks its migration on the bad data it names, before anything runs, where
/// FluentMigrator alone starts the migration and fails with PostgreSQL's raw error.
/// </summary>
[Category("Integration")]
[Category("Suite")]
[Parallelizable(ParallelScope.Children)]
public sealed class PreconditionTests
{
    /// <summary>The bad state each precondition guards against, and the SQLSTATE the migration fails with without it.</summary>
    private static readonly Dictionary<string, (string Sql, string SqlState, string Named)> BadData = new(StringComparer.Ordinal)
    {
        // docs/daemon/issues.md#issues dify#38276.
        ["plugins-identifier-unique"] = (
            $"INSERT INTO plugins (id, plugin_unique_identifier, plugin_id, refers, install_type) VALUES (gen_random_uuid(), 'acme/dup:1.0.0@{Hex}', 'acme/dup', 0, 'remote'), "
            + $"(gen_random_uuid(), 'acme/dup:1.0.0@{Hex}', 'acme/dup', 0, 'remote')", "23505", "acme/dup:1.0.0@"),
        // docs/daemon/issues.md#issues PR #533.
        ["installations-tenant-plugin-unique"] = (
            "INSERT INTO plugin_installations (id, tenant_id, plugin_id, plugin_unique_identifier, runtime_type) VALUES "
            + $"(gen_random_uuid(), '{Tenant}', 'acme/twice', 'acme/twice:1.0.0@{Hex}', 'remote'), (gen_random_uuid(), '{Tenant}', 'acme/twice', 'acme/twice:1.0.1@{Hex}', 'remote')",
            "23505", "acme/twice"),
        ["install-task-status-fits"] = (
            $"INSERT INTO install_tasks (id, status, tenant_id, total_plugins, completed_plugins) VALUES (gen_random_uuid(), '{new string('x', 60)}', '{Tenant}', 1, 0)",
            "22001", "length=60"),
        ["uuid-generate-v4-available"] = ("DROP EXTENSION \"uuid-ossp\" CASCADE", "42883", "uuid_generate_v4()"),
        ["column-absent:plugins.remote_declaration"] = ("ALTER TABLE plugins ADD COLUMN remote_declaration text", "42701", "remote_declaration"),
        ["column-absent:plugins.source"] = ("ALTER TABLE plugins ADD COLUMN source varchar(63) DEFAULT ''", "42701", "source"),
        ["table-absent:datasource_installations"] = ("CREATE TABLE datasource_installations (id uuid PRIMARY KEY)", "42P07", "datasource_installations"),
        ["table-absent:trigger_installations"] = ("CREATE TABLE trigger_installations (id uuid PRIMARY KEY)", "42P07", "trigger_installations"),
        ["table-absent:plugin_readmes"] = ("CREATE TABLE plugin_readmes (id uuid PRIMARY KEY)", "42P07", "plugin_readmes"),
        ["table-absent:plugin_readme_records"] = ("CREATE TABLE plugin_readme_records (id uuid PRIMARY KEY)", "42P07", "plugin_readme_records"),
        ["index-absent:idx_tenant_plugin"] = ("CREATE INDEX idx_tenant_plugin ON plugin_installations (tenant_id)", "42P07", "idx_tenant_plugin"),
        ["index-absent:idx_plugin_unique_identifier"] = ("CREATE INDEX idx_plugin_unique_identifier ON plugins (plugin_id)", "42P07", "idx_plugin_unique_identifier"),
        ["index-absent:idx_install_tasks_status"] = ("CREATE INDEX idx_install_tasks_status ON install_tasks (status)", "42P07", "idx_install_tasks_status"),
    };

    private const string Tenant = "0190d5a1-7e57-7000-8000-0000000000ff";

    private static readonly string Hex = new('d', 64);

    [Test]
    public void Every_precondition_of_the_chain_has_a_bad_data_case_here()
    {
        var declared = MigrationCatalog.Default.Migrations.SelectMany(m => m.Preconditions).Select(p => p.Id);

        Assert.That(BadData.Keys, Is.EquivalentTo(declared), "add the bad state a new precondition guards against to BadData");
    }

    [TestCaseSource(typeof(SuiteCases), nameof(SuiteCases.Preconditions))]
    public async Task A_precondition_blocks_its_migration_on_bad_data_where_fluentmigrator_fails_with_the_raw_error(long id, string preconditionId)
    {
        var precondition = MigrationCatalog.Default.Find(id)!.Preconditions.Single(p => p.Id == preconditionId);
        var (sql, sqlState, named) = BadData[preconditionId];
        var up = precondition.Direction == PreconditionDirection.Up;
        var previous = SuiteCases.Previous(id);

        // Given the schema the migration starts from (up: the one before it; down: its own) holding the bad data.
        await using var deployment = await GatedDeployment.CreateAsync(SuiteDeployment.Id(up ? previous : id), seed: false);
        await deployment.Database.ExecuteAsync(sql);
        var target = SuiteDeployment.Id(up ? id : previous);
        var before = await DatabaseState.CaptureAsync(deployment.Database);

        // When the gate, the gated migrate (up only) and FluentMigrator alone are asked to run it.
        var gate = await deployment.RunAsync("gate", "--to", target, "--grace", "0");
        CliResult? gated = up ? await deployment.RunAsync("migrate", "up", "--gate", "--to", target, "--grace", "0") : null;
        var unchanged = await DatabaseState.CaptureAsync(deployment.Database);
        var plain = up
            ? await deployment.RunAsync("migrate", "up", "--to", target)
            : await deployment.RunAsync("migrate", "down", "--to", target);

        // Then the gate blocks naming the precondition and the offending data, the database is untouched, and
        // FluentMigrator alone fails with the raw error.
        Assert.Multiple(() =>
        {
            Assert.That(gate.ExitCode, Is.EqualTo((int)ExitCode.Findings), gate.ToString());
            Assert.That(gate.Stdout, Does.Contain($"{id} {preconditionId}: violated").And.Contain(named));
            if (gated is not null)
            {
                Assert.That(gated.ExitCode, Is.EqualTo((int)ExitCode.Findings), gated.ToString());
                Assert.That(gated.Stdout, Does.Contain(preconditionId));
            }

            Assert.That(unchanged, Is.EqualTo(before), "a blocked run changed the database");
            Assert.That(plain.ExitCode, Is.EqualTo((int)ExitCode.Incomplete), plain.ToString());
            Assert.That(plain.Stderr, Does.Contain(sqlState));
        });
    }
}
