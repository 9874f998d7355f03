using DbIntegrity.Cli;
using DbIntegrity.IntegrationTests.Infrastructure;

namespace DbIntegrity.IntegrationTests.Reproduction;

/// <summary>What <c>dbintegrity reproduce</c> refuses, what --force wipes (and what it never touches), in-process.</summary>
[Category("Integration")]
[Parallelizable(ParallelScope.Children)]
public sealed class ReproduceCommandTests
{
    [Test]
    public async Task A_deployment_with_daemon_rows_is_refused_without_force_and_left_unchanged()
    {
        // Given a deployment holding the healthy scenario
        await using var database = await TestDatabase.CreateAsync();
        await using var bucket = await TestBucket.CreateAsync();
        var environment = CliRunner.Environment(database, bucket);
        Assert.That((await CliRunner.RunAsync(environment, "reproduce", "healthy")).ExitCode, Is.EqualTo((int)ExitCode.Success));
        var declarations = await database.ScalarAsync<long>("SELECT count(*) FROM plugin_declarations");
        var keys = await bucket.KeysAsync();

        // When another scenario is reproduced without --force
        var result = await CliRunner.RunAsync(environment, "reproduce", "seed-incident");

        // Then it exits 2, says how to proceed, and changed nothing
        Assert.Multiple(async () =>
        {
            Assert.That(result.ExitCode, Is.EqualTo((int)ExitCode.UsageError), result.ToString());
            Assert.That(result.Stderr, Does.Contain("not empty").And.Contain("plugin_declarations").And.Contain("--force"));
            Assert.That(await database.ScalarAsync<long>("SELECT count(*) FROM plugin_declarations"), Is.EqualTo(declarations));
            Assert.That(await bucket.KeysAsync(), Is.EqualTo(keys));
        });
    }

    [TestCase("baseline")]
    [TestCase("gate-run")]
    public async Task Force_refuses_a_deployment_that_looks_adopted_unless_wipe_adopted_is_given_too(string sign)
    {
        // Given a seeded deployment that was adopted with migrate baseline, or that the gate has recorded runs for
        await using var database = await TestDatabase.CreateAsync();
        await using var bucket = await TestBucket.CreateAsync();
        var environment = CliRunner.Environment(database, bucket);
        Assert.That((await CliRunner.RunAsync(environment, "reproduce", "healthy")).ExitCode, Is.EqualTo((int)ExitCode.Success));
        if (sign == "baseline")
        {
            await database.ExecuteAsync($"UPDATE dbintegrity_version_info SET description = description || '{Core.Migrating.VersionTable.BaselineMark}' WHERE version = (SELECT min(version) FROM dbintegrity_version_info)");
        }
        else
        {
            Assert.That((await CliRunner.RunAsync(environment, "gate", "--grace", "0")).ExitCode, Is.EqualTo((int)ExitCode.Success));
        }

        var declarations = await database.ScalarAsync<long>("SELECT count(*) FROM plugin_declarations");

        // When another scenario is reproduced with --force alone, then with --wipe-adopted too
        var refused = await CliRunner.RunAsync(environment, "reproduce", "seed-incident", "--force");
        var kept = await database.ScalarAsync<long>("SELECT count(*) FROM plugin_declarations");
        var wiped = await CliRunner.RunAsync(environment, "reproduce", "seed-incident", "--force", "--wipe-adopted");

        // Then --force alone exits 2 naming the sign and changes nothing; with --wipe-adopted it seeds
        Assert.Multiple(() =>
        {
            Assert.That(refused.ExitCode, Is.EqualTo((int)ExitCode.UsageError), refused.ToString());
            Assert.That(refused.Stderr, Does.Contain(sign == "baseline" ? "migrate baseline" : "gate run(s)").And.Contain("--wipe-adopted"));
            Assert.That(kept, Is.EqualTo(declarations));
            Assert.That(wiped.ExitCode, Is.EqualTo((int)ExitCode.Success), wiped.ToString());
        });
    }

    [Test]
    public async Task Objects_under_a_daemon_prefix_alone_make_the_deployment_non_empty()
    {
        await using var database = await TestDatabase.CreateMigratedAsync();
        await using var bucket = await TestBucket.CreateAsync();
        await bucket.Store.PutAsync("assets/0123.svg", "<svg/>"u8.ToArray(), CancellationToken.None);

        var result = await CliRunner.RunAsync(CliRunner.Environment(database, bucket), "reproduce", "healthy");

        Assert.That(result.ExitCode, Is.EqualTo((int)ExitCode.UsageError), result.ToString());
        Assert.That(result.Stderr, Does.Contain("assets/"));
    }

    [Test]
    public async Task Force_wipes_the_daemon_tables_and_prefixes_and_leaves_everything_else()
    {
        // Given a deployment with a previous scenario, an operator's own table and keys outside the daemon's prefixes
        await using var database = await TestDatabase.CreateAsync();
        await using var bucket = await TestBucket.CreateAsync();
        var environment = CliRunner.Environment(database, bucket);
        Assert.That((await CliRunner.RunAsync(environment, "reproduce", "storage-migration")).ExitCode, Is.EqualTo((int)ExitCode.Success));
        await database.ExecuteAsync("CREATE TABLE operator_notes (note text); INSERT INTO operator_notes VALUES ('keep me')");
        string[] foreignKeys = ["backups/plugin/langgenius/openai:0.2.7@x", "plugin_packages_old/keep", "README.txt"];
        foreach (var key in foreignKeys)
        {
            await bucket.Store.PutAsync(key, "keep"u8.ToArray(), CancellationToken.None);
        }

        // When another scenario is reproduced with --force
        var result = await CliRunner.RunAsync(environment, "reproduce", "seed-incident", "--force");
        var check = await CliRunner.RunAsync(environment, "check", "--grace", "0", "--format", "json");

        // Then the foreign table, the version table and the foreign keys survive, and only the new scenario remains
        Assert.That(result.ExitCode, Is.EqualTo((int)ExitCode.Success), result.ToString());
        Assert.Multiple(async () =>
        {
            Assert.That(result.Stdout, Does.Contain("wiped first (--force)"));
            Assert.That(await database.ScalarAsync<string>("SELECT note FROM operator_notes"), Is.EqualTo("keep me"));
            Assert.That(await database.ScalarAsync<long>("SELECT count(*) FROM dbintegrity_version_info"), Is.Positive);
            Assert.That(await bucket.KeysAsync(), Is.SupersetOf(foreignKeys));
            Assert.That(await bucket.KeysAsync("plugin_packages/"), Has.None.Contains("openai_0."), "the mangled keys of storage-migration are gone");
            Assert.That(ScenarioFindingsTests.SeriousFindings(check.Stdout), Is.EquivalentTo(new Simulator.Reproduction.SeedIncidentScenario().ExpectedFindings), check.Stdout);
        });
    }

    [Test]
    public async Task If_empty_leaves_a_non_empty_deployment_as_it_is_and_exits_0()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var bucket = await TestBucket.CreateAsync();
        var environment = CliRunner.Environment(database, bucket);
        await CliRunner.RunAsync(environment, "reproduce", "healthy");
        var keys = await bucket.KeysAsync();

        var result = await CliRunner.RunAsync(environment, "reproduce", "seed-incident", "--if-empty");

        Assert.Multiple(async () =>
        {
            Assert.That(result.ExitCode, Is.EqualTo((int)ExitCode.Success), result.ToString());
            Assert.That(result.Stdout, Does.Contain("Nothing seeded"));
            Assert.That(await bucket.KeysAsync(), Is.EqualTo(keys));
        });
    }

    [Test]
    public async Task Duplicate_rows_is_refused_on_a_database_past_0_5_2_before_anything_is_wiped()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var bucket = await TestBucket.CreateAsync();
        var environment = CliRunner.Environment(database, bucket);
        await CliRunner.RunAsync(environment, "reproduce", "healthy");
        var keys = await bucket.KeysAsync();

        var result = await CliRunner.RunAsync(environment, "reproduce", "duplicate-rows", "--force");

        Assert.Multiple(async () =>
        {
            Assert.That(result.ExitCode, Is.EqualTo((int)ExitCode.UsageError), result.ToString());
            Assert.That(result.Stderr, Does.Contain("0.5.2").And.Contain("migrate down"));
            Assert.That(await bucket.KeysAsync(), Is.EqualTo(keys), "a refusal wipes nothing, even with --force");
        });
    }

    [Test]
    public async Task Duplicate_rows_makes_the_0_5_4_migration_fail_as_in_dify_38276()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var bucket = await TestBucket.CreateAsync();
        var environment = CliRunner.Environment(database, bucket);
        Assert.That((await CliRunner.RunAsync(environment, "reproduce", "duplicate-rows")).ExitCode, Is.EqualTo((int)ExitCode.Success));

        var migrate = await CliRunner.RunAsync(environment, "migrate", "up");

        Assert.That(migrate.ExitCode, Is.EqualTo((int)ExitCode.Incomplete), migrate.ToString());
        Assert.That(migrate.Stderr, Does.Contain("23505").And.Contain("idx_plugin_unique_identifier"));
    }

    [Test]
    public async Task List_describes_every_scenario_with_its_expected_findings_and_needs_no_configuration()
    {
        var result = await CliRunner.RunAsync(new Core.Configuration.SettingsSource(new Dictionary<string, string>()), "reproduce", "--list");

        Assert.That(result.ExitCode, Is.EqualTo((int)ExitCode.Success), result.ToString());
        var flat = string.Join(' ', result.Stdout.Split('\n').Select(l => l.Trim()));
        Assert.Multiple(() =>
        {
            foreach (var scenario in Simulator.Reproduction.ScenarioCatalog.All)
            {
                Assert.That(flat, Does.Contain(scenario.Name + "  (schema: " + scenario.SchemaTarget + ")"));
            }

            Assert.That(flat, Does.Contain("declaration-package-missing 4, installed-key-invalid 3"));
            Assert.That(flat, Does.Contain("duplicate-plugin-row 1, refers-mismatch 2"));
        });
    }

    [TestCase(new[] { "reproduce", "no-such-scenario" }, "no-such-scenario")]
    [TestCase(new[] { "reproduce" }, "--list")]
    [TestCase(new[] { "reproduce", "healthy", "--list" }, "not both")]
    [TestCase(new[] { "reproduce", "healthy", "--force", "--if-empty" }, "contradict")]
    [TestCase(new[] { "reproduce", "healthy", "--wipe-adopted" }, "only widens --force")]
    public async Task Bad_arguments_exit_2_naming_the_problem(string[] args, string expected)
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var bucket = await TestBucket.CreateAsync();

        var result = await CliRunner.RunAsync(CliRunner.Environment(database, bucket), args);

        Assert.That(result.ExitCode, Is.EqualTo((int)ExitCode.UsageError), result.ToString());
        Assert.That(result.Stderr, Does.Contain(expected));
    }
}
