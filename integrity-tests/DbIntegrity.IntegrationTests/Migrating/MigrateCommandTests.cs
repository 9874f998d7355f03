using DbIntegrity.Cli;
using DbIntegrity.Cli.Infrastructure;
using DbIntegrity.Core.Configuration;
using DbIntegrity.IntegrationTests.Infrastructure;
using Spectre.Console.Testing;

namespace DbIntegrity.IntegrationTests.Migrating;

/// <summary>The <c>dbintegrity migrate</c> commands in-process: exit codes, output, and never the password.</summary>
[Category("Integration")]
[Parallelizable(ParallelScope.Children)]
public sealed class MigrateCommandTests
{
    [Test]
    public async Task Status_up_to_a_release_and_down_to_0_succeed_and_report_where_the_database_stands()
    {
        await using var database = await TestDatabase.CreateAsync();
        var environment = MigrationCases.Environment(database);

        var empty = await RunAsync(environment, "migrate", "status");
        var up = await RunAsync(environment, "migrate", "up", "--to", "0.5.2");
        var status = await RunAsync(environment, "migrate", "status");
        var down = await RunAsync(environment, "migrate", "down", "--to", "0");

        Assert.Multiple(() =>
        {
            Assert.That(empty.ExitCode, Is.EqualTo((int)ExitCode.Success));
            Assert.That(empty.Output, Does.Contain("empty"));
            Assert.That(up.ExitCode, Is.EqualTo((int)ExitCode.Success));
            Assert.That(up.Output, Does.Contain("9 migration(s) applied").And.Contain("at migration 50201 (daemon 0.5.2)"));
            Assert.That(status.ExitCode, Is.EqualTo((int)ExitCode.Success));
            Assert.That(status.Output, Does.Contain("at migration 50201 (daemon 0.5.2), 3 pending"));
            Assert.That(down.ExitCode, Is.EqualTo((int)ExitCode.Success));
            Assert.That(down.Output, Does.Contain("9 migration(s) reverted"));
            foreach (var run in new[] { empty, up, status, down })
            {
                Assert.That(run.All, Does.Not.Contain(environment.Get("DB_PASSWORD")));
            }
        });
        Assert.That((await MigrationCases.InspectAsync(database)).Tables, Is.Empty);
    }

    [Test]
    public async Task Up_with_preview_prints_the_SQL_unwrapped_and_runs_nothing()
    {
        await using var database = await TestDatabase.CreateAsync();

        var run = await RunAsync(MigrationCases.Environment(database), "migrate", "up", "--to", "0.0.1", "--preview");

        Assert.That(run.ExitCode, Is.EqualTo((int)ExitCode.Success));
        Assert.That(run.Output, Does.Contain("-- 100 up (daemon 0.0.1)"));
        Assert.That(run.Output.Split('\n'), Has.Some.Match("^CREATE TABLE \"public\".\"plugins\" .*PRIMARY KEY \\(\"id\"\\)\\);$"));
        Assert.That((await MigrationCases.InspectAsync(database)).Tables, Is.Empty);
    }

    [TestCase("up", "--to", "bogus")]
    [TestCase("up", "--to", "0")]
    [TestCase("down")]
    [TestCase("down", "--to", "0.0.0")]
    public async Task A_bad_target_is_a_usage_error(params string[] args)
    {
        await using var database = await TestDatabase.CreateAsync();

        var run = await RunAsync(MigrationCases.Environment(database), ["migrate", .. args]);

        Assert.That(run.ExitCode, Is.EqualTo((int)ExitCode.UsageError));
        Assert.That(run.Diagnostics, Does.Contain("--to"));
    }

    [Test]
    public async Task Up_on_a_database_the_daemon_made_exits_2_and_says_to_run_baseline_and_status_says_unversioned()
    {
        await using var database = await TestDatabase.CreateAsync();
        await MigrationCases.RunFixtureAsync(database, "gorm_fresh_0_6_10.sql");
        var environment = MigrationCases.Environment(database);

        var up = await RunAsync(environment, "migrate", "up");
        var status = await RunAsync(environment, "migrate", "status");
        var baseline = await RunAsync(environment, "migrate", "baseline");
        var upAfterBaseline = await RunAsync(environment, "migrate", "up");

        Assert.Multiple(() =>
        {
            Assert.That(up.ExitCode, Is.EqualTo((int)ExitCode.UsageError));
            Assert.That(up.Diagnostics, Does.Contain("dbintegrity migrate baseline"));
            Assert.That(status.ExitCode, Is.EqualTo((int)ExitCode.Success));
            Assert.That(status.Output, Does.Contain("unversioned").And.Contain("daemon 0.5.4").And.Contain("dbintegrity migrate baseline"));
            Assert.That(baseline.ExitCode, Is.EqualTo((int)ExitCode.Success));
            Assert.That(baseline.Output, Does.Contain("Recorded 11 migration(s) up to 50401 (daemon 0.5.4)"));
            Assert.That(upAfterBaseline.ExitCode, Is.EqualTo((int)ExitCode.Success));
            Assert.That(upAfterBaseline.Output, Does.Contain("1 migration(s) applied"));
        });
    }

    [Test]
    public async Task Baseline_with_drift_exits_1_and_records_nothing()
    {
        await using var database = await TestDatabase.CreateAsync();
        await MigrationCases.RunFixtureAsync(database, "gorm_upgraded_0_3_0.sql");
        await database.ExecuteAsync("DROP INDEX idx_endpoints_user_id");

        var run = await RunAsync(MigrationCases.Environment(database), "migrate", "baseline");

        Assert.That(run.ExitCode, Is.EqualTo((int)ExitCode.Findings));
        Assert.That(run.Output, Does.Contain("daemon 0.3.0").And.Contain("index idx_endpoints_user_id"));
        Assert.That(run.Diagnostics, Does.Contain("--accept-drift"));
        Assert.That((await MigrationCases.InspectAsync(database)).HasTable("dbintegrity_version_info"), Is.False);
    }

    [Test]
    public async Task Baseline_preview_exits_as_baseline_would_1_with_drift_unless_accepted_0_without()
    {
        await using var database = await TestDatabase.CreateAsync();
        await MigrationCases.RunFixtureAsync(database, "gorm_upgraded_0_3_0.sql");
        var environment = MigrationCases.Environment(database);

        var clean = await RunAsync(environment, "migrate", "baseline", "--preview");
        await database.ExecuteAsync("DROP INDEX idx_endpoints_user_id");
        var drift = await RunAsync(environment, "migrate", "baseline", "--preview");
        var accepted = await RunAsync(environment, "migrate", "baseline", "--preview", "--accept-drift");

        Assert.Multiple(() =>
        {
            Assert.That(clean.ExitCode, Is.EqualTo((int)ExitCode.Success), clean.All);
            Assert.That(drift.ExitCode, Is.EqualTo((int)ExitCode.Findings), drift.All);
            Assert.That(drift.Output, Does.Contain("index idx_endpoints_user_id"));
            Assert.That(drift.Diagnostics, Does.Contain("--accept-drift"));
            Assert.That(accepted.ExitCode, Is.EqualTo((int)ExitCode.Success), accepted.All);
            Assert.That(accepted.Output, Does.Contain("would record"));
        });
        Assert.That((await MigrationCases.InspectAsync(database)).HasTable("dbintegrity_version_info"), Is.False);
    }

    [Test]
    public async Task A_failing_migration_exits_3_naming_the_migration_and_its_daemon_version()
    {
        await using var database = await TestDatabase.CreateAsync();
        var environment = MigrationCases.Environment(database);
        await RunAsync(environment, "migrate", "up", "--to", "0.5.2");
        await database.ExecuteAsync("INSERT INTO plugins (id, plugin_unique_identifier) VALUES (gen_random_uuid(), 'a/b:1.0.0@ab'), (gen_random_uuid(), 'a/b:1.0.0@ab')");

        var run = await RunAsync(environment, "migrate", "up");

        Assert.That(run.ExitCode, Is.EqualTo((int)ExitCode.Incomplete));
        Assert.That(run.Diagnostics, Does.Contain("migration 50400 (daemon 0.5.4) failed up").And.Contain("idx_plugin_unique_identifier"));
        Assert.That(run.All, Does.Not.Contain(environment.Get("DB_PASSWORD")));
    }

    [Test]
    public async Task A_wrong_password_exits_3_naming_the_server_but_never_the_password()
    {
        await using var database = await TestDatabase.CreateAsync();
        var settings = database.Settings;
        const string password = "wrong-horse-battery";
        var connection = $"Host={settings.Host};Port={settings.Port};Username={settings.Username};Password={password};Database={settings.Database}";

        var run = await RunAsync(MigrationCases.Environment(database), "migrate", "status", "--db", connection);

        Assert.That(run.ExitCode, Is.EqualTo((int)ExitCode.Incomplete));
        Assert.That(run.Diagnostics, Does.Contain(settings.Describe()));
        Assert.That(run.All, Does.Not.Contain(password));
    }

    [Test]
    public async Task An_unreachable_server_exits_3_naming_host_port_and_database()
    {
        await using var database = await TestDatabase.CreateAsync();
        var environment = MigrationCases.Environment(database).With(new Dictionary<string, string?> { ["DB_PORT"] = "1" });

        var run = await RunAsync(environment, "migrate", "up");

        Assert.That(run.ExitCode, Is.EqualTo((int)ExitCode.Incomplete));
        Assert.That(run.Diagnostics, Does.Contain($"127.0.0.1:1/{database.Name}").Or.Contain($"{database.Settings.Host}:1/{database.Name}"));
        Assert.That(run.All, Does.Not.Contain(environment.Get("DB_PASSWORD")));
    }

    private static async Task<CliRun> RunAsync(SettingsSource environment, params string[] args)
    {
        var output = new TestConsole();
        var diagnostics = new TestConsole();
        output.Profile.Width = 400;
        diagnostics.Profile.Width = 400;
        var exitCode = await DbIntegrityApp.RunAsync(args, new CliContext(output, diagnostics, environment), CancellationToken.None);
        return new CliRun(exitCode, output.Output, diagnostics.Output);
    }

    private sealed record CliRun(int ExitCode, string Output, string Diagnostics)
    {
        public string All => Output + Diagnostics;
    }
}
