using DbIntegrity.Cli;
using DbIntegrity.Core.Migrating;
using DbIntegrity.IntegrationTests.Checking;
using DbIntegrity.IntegrationTests.Infrastructure;
using static DbIntegrity.Simulator.Seeding.HealthyDeployment;

namespace DbIntegrity.IntegrationTests.Repairing;

/// <summary>Row repairs (refers, category rows, duplicates) and the incident on every schema version.</summary>
[Category("Integration")]
[Parallelizable(ParallelScope.All)]
public sealed class RepairRowTests
{
    public static IEnumerable<string> DaemonVersions() => MigrationCatalog.Default.DaemonVersions.Select(v => v.ToString());

    [Test]
    public async Task Refers_and_category_rows_are_repaired_and_restore_sql_undoes_updates_inserts_and_deletes_exactly()
    {
        await using var d = await DeploymentUnderTest.CreateAsync();
        await RowFaults.BreakAsync(d);
        // Facts compare rows as text: a session time zone other than UTC must not make a fresh plan look stale.
        await d.Database.ExecuteAsync($"ALTER DATABASE \"{d.Database.Name}\" SET TimeZone = 'America/New_York'");
        Npgsql.NpgsqlConnection.ClearAllPools();
        var broken = await DeploymentSnapshot.TakeAsync(d.Database, d.Bucket);
        using var files = new TempDirectory();
        var environment = CliRunner.Environment(d.Database, d.Bucket);

        var plan = await CliRunner.RunAsync(environment, "repair", "plan", "--grace", "0", "-o", files.Path("plan.json"));
        var apply = await CliRunner.RunAsync(environment, "repair", "apply", files.Path("plan.json"), "--backup-dir", files.Path("backup"));
        var check = await CliRunner.RunAsync(environment, "check", "--grace", "0");
        var repaired = await DeploymentSnapshot.TakeAsync(d.Database, d.Bucket);
        await d.Database.ExecuteAsync(await File.ReadAllTextAsync(Path.Combine(TempDirectory.SingleBackup(files.Path("backup")), "restore.sql")));
        var rolledBack = await DeploymentSnapshot.TakeAsync(d.Database, d.Bucket);

        Assert.That(plan.Stdout, Does.Contain("recompute-refers").And.Contain("delete-category-row").And.Contain("insert-category-row"), plan.ToString());
        Assert.That(apply.ExitCode, Is.EqualTo((int)ExitCode.Success), apply.ToString());
        Assert.That(check.ExitCode, Is.EqualTo((int)ExitCode.Success), check.ToString());
        Assert.That(repaired.RowsChangedIn(broken), Has.Count.EqualTo(2), "one refers update, one inserted category row");
        Assert.That(broken.RowsChangedIn(repaired), Has.Count.EqualTo(2), "the refers update and the deleted orphan");
        Assert.That(rolledBack.RowsChangedIn(broken).Concat(broken.RowsChangedIn(rolledBack)), Is.Empty);
    }

    [Test]
    public async Task Duplicate_rows_from_before_the_unique_indexes_are_merged_so_the_daemon_migrations_can_run()
    {
        await using var d = await DeploymentUnderTest.CreateAsync("0.5.0");
        var google = d.Deployment.Installation(Tenant(0), Plugins.Google);
        await d.Database.ExecuteAsync($"""
            INSERT INTO plugins SELECT (json_populate_record(NULL::plugins, (row_to_json(p)::jsonb || jsonb_build_object('id', gen_random_uuid(), 'refers', 0))::json)).*
            FROM plugins p WHERE id = '{google.PluginRowId}';
            INSERT INTO plugin_installations SELECT (json_populate_record(NULL::plugin_installations, (row_to_json(i)::jsonb || jsonb_build_object('id', gen_random_uuid()))::json)).*
            FROM plugin_installations i WHERE id = '{google.InstallationId}';
            """);
        var environment = CliRunner.Environment(d.Database, d.Bucket);
        using var files = new TempDirectory();
        var blocked = await CliRunner.RunAsync(environment, "migrate", "up", "--to", "0.5.4");

        var plan = await CliRunner.RunAsync(environment, "repair", "plan", "--grace", "0", "-o", files.Path("plan.json"));
        var apply = await CliRunner.RunAsync(environment, "repair", "apply", files.Path("plan.json"));
        var check = await CliRunner.RunAsync(environment, "check", "--grace", "0");
        var migrate = await CliRunner.RunAsync(environment, "migrate", "up");

        Assert.That(blocked.ExitCode, Is.EqualTo((int)ExitCode.Incomplete), "the duplicates break the 0.5.1 unique index (dify#38276, PR #533)");
        Assert.That(plan.Stdout, Does.Contain("remove-duplicate-plugin-rows").And.Contain("remove-duplicate-installations").And.Contain("0 manual item(s)"), plan.ToString());
        Assert.That(apply.ExitCode, Is.EqualTo((int)ExitCode.Success), apply.ToString());
        Assert.That(check.ExitCode, Is.EqualTo((int)ExitCode.Success), check.ToString());
        Assert.That(migrate.ExitCode, Is.EqualTo((int)ExitCode.Success), migrate.ToString());
        Assert.That(await d.Database.ScalarAsync<long>($"SELECT refers FROM plugins WHERE plugin_unique_identifier = '{google.Identifier.Value}'"), Is.EqualTo(3));
    }

    [Test]
    public async Task On_a_0_0_1_schema_a_category_row_with_a_required_legacy_column_is_left_to_a_person_and_the_rest_is_repaired()
    {
        await using var d = await DeploymentUnderTest.CreateAsync("0.0.1");
        await RowFaults.BreakAsync(d);
        var environment = CliRunner.Environment(d.Database, d.Bucket);
        using var files = new TempDirectory();

        var plan = await CliRunner.RunAsync(environment, "repair", "plan", "--grace", "0", "-o", files.Path("plan.json"));
        var apply = await CliRunner.RunAsync(environment, "repair", "apply", files.Path("plan.json"));
        var check = await CliRunner.RunAsync(environment, "check", "--grace", "0", "--format", "json");

        Assert.That(plan.Stdout, Does.Contain("requires column(s) declaration").And.Contain("2 fix(es), 1 manual item(s)"), plan.ToString());
        Assert.That(apply.ExitCode, Is.EqualTo((int)ExitCode.Success), apply.ToString());
        using var report = System.Text.Json.JsonDocument.Parse(check.Stdout);
        Assert.That(report.RootElement.GetProperty("summary").GetProperty("bySeverity").GetProperty("error").GetInt32(), Is.EqualTo(1));
        Assert.That(report.RootElement.GetProperty("summary").GetProperty("byRule").GetProperty("category-row-missing").GetInt32(), Is.EqualTo(1));
    }

    [TestCaseSource(nameof(DaemonVersions))]
    public async Task The_incident_is_repaired_on_every_schema_version(string version)
    {
        await using var d = await DeploymentUnderTest.CreateAsync(version);
        await Incident.BreakAsync(d);
        using var files = new TempDirectory();
        var environment = CliRunner.Environment(d.Database, d.Bucket);

        var plan = await CliRunner.RunAsync(environment, "repair", "plan", "--grace", "0", "-o", files.Path("plan.json"));
        var apply = await CliRunner.RunAsync(environment, "repair", "apply", files.Path("plan.json"));
        var check = await CliRunner.RunAsync(environment, "check", "--grace", "0");

        Assert.That(plan.Stdout, Does.Contain("0 manual item(s)"), plan.ToString());
        Assert.That(apply.ExitCode, Is.EqualTo((int)ExitCode.Success), apply.ToString());
        Assert.That(check.ExitCode, Is.EqualTo((int)ExitCode.Success), check.ToString());
    }
}
