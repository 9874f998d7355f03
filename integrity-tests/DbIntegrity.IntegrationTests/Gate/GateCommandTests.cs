using System.Text.Json;
using System.Xml.Linq;
using DbIntegrity.Cli;
using DbIntegrity.Core.Migrating;
using DbIntegrity.IntegrationTests.Gate.TestMigrations;
using DbIntegrity.IntegrationTests.Infrastructure;

namespace DbIntegrity.IntegrationTests.Gate;

/// <summary>
/// <c>dbintegrity gate</c> and <c>migrate up --gate</c> in-process against seeded deployments: what blocks, what the
/// reports say, exit codes exactly, and that a blocked run leaves the database as it was.
/// </summary>
[Category("Integration")]
[Parallelizable(ParallelScope.Children)]
public sealed class GateCommandTests
{
    [Test]
    public async Task At_0_5_2_a_duplicated_plugins_row_blocks_0_5_4_by_name_until_it_is_merged()
    {
        // Given a healthy deployment at daemon 0.5.2 with one plugins row duplicated (docs/daemon/issues.md#issues, dify#38276).
        await using var deployment = await GatedDeployment.CreateAsync("0.5.2");
        var identifier = deployment.Deployment!.Installations.First(i => i.InstalledKey is not null).Identifier.Value;
        await deployment.Database.ExecuteAsync(
            $"INSERT INTO plugins (id, created_at, updated_at, plugin_unique_identifier, plugin_id, refers, install_type, manifest_type, source) "
            + $"SELECT gen_random_uuid(), created_at, updated_at, plugin_unique_identifier, plugin_id, refers, install_type, manifest_type, source FROM plugins WHERE plugin_unique_identifier = '{identifier}'");
        var junit = Path.Combine(Path.GetTempPath(), $"dbi-gate-{Guid.NewGuid():N}.xml");

        // When the gate, migrate up --gate and FluentMigrator alone are asked for 0.5.4.
        var gate = await deployment.RunAsync("gate", "--to", "0.5.4", "--grace", "0");
        var gateJunit = await deployment.RunAsync("gate", "--to", "0.5.4", "--grace", "0", "--format", "junit", "--output", junit);
        var before = await DatabaseState.CaptureAsync(deployment.Database);
        var migrate = await deployment.RunAsync("migrate", "up", "--gate", "--to", "0.5.4", "--grace", "0");
        var after = await DatabaseState.CaptureAsync(deployment.Database);
        var plain = await deployment.RunAsync("migrate", "up", "--to", "0.5.4");

        // Then the gate and migrate up --gate exit 1 naming the identifier, and the database is exactly as it was;
        // FluentMigrator alone fails with PostgreSQL's raw error.
        Assert.Multiple(() =>
        {
            Assert.That(gate.ExitCode, Is.EqualTo((int)ExitCode.Findings), gate.ToString());
            Assert.That(gate.Stdout, Does.Contain("plugins-identifier-unique").And.Contain(identifier).And.Contain("BLOCKED"));
            Assert.That(gateJunit.ExitCode, Is.EqualTo((int)ExitCode.Findings));
            Assert.That(migrate.ExitCode, Is.EqualTo((int)ExitCode.Findings), migrate.ToString());
            Assert.That(migrate.Stdout, Does.Contain(identifier));
            Assert.That(after, Is.EqualTo(before));
            Assert.That(plain.ExitCode, Is.EqualTo((int)ExitCode.Incomplete));
            Assert.That(plain.Stderr, Does.Contain("23505").And.Contain("idx_plugin_unique_identifier"));
        });
        var failures = XDocument.Load(junit).Descendants("testcase").Where(c => c.Element("failure") is not null).Select(c => (string)c.Attribute("name")!);
        Assert.That(failures, Is.SupersetOf(new[] { "duplicate-plugin-row", "50400 plugins-identifier-unique" }));
        File.Delete(junit);

        // When the duplicates are merged with the precondition's own repair SQL.
        var repair = MigrationCatalog.Default.Find(50400)!.Preconditions.Single(p => p.Id == "plugins-identifier-unique").RepairSql!;
        await deployment.Database.ExecuteAsync(repair);
        var gateAgain = await deployment.RunAsync("gate", "--to", "0.5.4", "--grace", "0");
        var migrateAgain = await deployment.RunAsync("migrate", "up", "--gate", "--to", "0.5.4", "--grace", "0");

        // Then both pass and the database is at 0.5.4.
        await Assert.MultipleAsync(async () =>
        {
            Assert.That(gateAgain.ExitCode, Is.EqualTo((int)ExitCode.Success), gateAgain.ToString());
            Assert.That(migrateAgain.ExitCode, Is.EqualTo((int)ExitCode.Success), migrateAgain.ToString());
            Assert.That(migrateAgain.Stdout, Does.Contain("committed 50400, 50401"));
            Assert.That(await deployment.Database.ScalarAsync<long>("SELECT max(version) FROM dbintegrity_version_info"), Is.EqualTo(50401));
        });
    }

    [Test]
    public async Task A_test_migration_that_breaks_consistency_is_rolled_back_with_the_new_findings_shown()
    {
        // Given a healthy deployment at the latest schema and a chain with a test migration that deletes every declaration.
        await using var deployment = await GatedDeployment.CreateAsync("latest");
        var catalog = MigrationCatalog.Default.With(typeof(M1000000900_DeletesDeclarations));
        var before = await DatabaseState.CaptureAsync(deployment.Database);

        // When migrate up --gate runs it.
        var run = await deployment.RunAsync(catalog, "migrate", "up", "--gate", "--grace", "0", "--format", "json");

        // Then it exits 1, reports the new findings, and the database (version table included) is as it was; only the run is recorded.
        Assert.That(run.ExitCode, Is.EqualTo((int)ExitCode.Findings), run.ToString());
        using var json = JsonDocument.Parse(run.Stdout);
        var report = json.RootElement.GetProperty("run");
        var newRules = report.GetProperty("newFindings").EnumerateArray().Select(f => f.GetProperty("rule").GetString()).ToList();
        await Assert.MultipleAsync(async () =>
        {
            Assert.That(json.RootElement.GetProperty("verdict").GetString(), Is.EqualTo("block"));
            Assert.That(report.GetProperty("committed").GetBoolean(), Is.False);
            Assert.That(report.GetProperty("executed").EnumerateArray().Select(e => e.GetInt64()), Is.EqualTo(new[] { 1_000_000_900L }));
            Assert.That(newRules, Does.Contain("installation-declaration-missing"));
            Assert.That(report.GetProperty("newErrors").GetInt32(), Is.GreaterThan(0));
            Assert.That(await DatabaseState.CaptureAsync(deployment.Database), Is.EqualTo(before));
            Assert.That(await DatabaseState.CheckRunsAsync(deployment.Database), Is.EqualTo(new[] { ("migrate up --gate", "rolled back") }));
        });
    }

    [Test]
    public async Task A_precondition_violated_by_an_earlier_migration_of_the_same_run_stops_it_inside_the_transaction()
    {
        // Given 0.5.2 and a chain where a migration before 50401 writes the status 50401 cannot hold.
        await using var deployment = await GatedDeployment.CreateAsync("0.5.2");
        var catalog = MigrationCatalog.Default.With(typeof(M0050300_InsertsLongTaskStatus));
        var before = await DatabaseState.CaptureAsync(deployment.Database);

        // When migrate up --gate runs to 0.5.4: the gate sees no offending row, the run does.
        var run = await deployment.RunAsync(catalog, "migrate", "up", "--gate", "--to", "0.5.4", "--grace", "0");

        // Then it stops before 50401 and rolls 50300 back.
        await Assert.MultipleAsync(async () =>
        {
            Assert.That(run.ExitCode, Is.EqualTo((int)ExitCode.Findings), run.ToString());
            Assert.That(run.Stdout, Does.Contain("Inside the run").And.Contain("50401 install-task-status-fits: violated by 1 row(s)").And.Contain("rolled back 50300"));
            Assert.That(await DatabaseState.CaptureAsync(deployment.Database), Is.EqualTo(before));
        });
    }

    [Test]
    public async Task Editing_an_applied_migration_makes_the_gate_report_it()
    {
        // Given a test migration applied as first written (its checksum recorded).
        await using var deployment = await GatedDeployment.CreateAsync("latest", catalog: MigrationCatalog.Default.With(typeof(M1000000910_AuditTable)));
        var original = MigrationCatalog.Default.With(typeof(M1000000910_AuditTable));
        var edited = MigrationCatalog.Default.With(typeof(M1000000910_AuditTableEdited));

        // When the gate runs with the build that has it as written, and with a build where it was edited since.
        var unchanged = await deployment.RunAsync(original, "gate", "--grace", "0");
        var changed = await deployment.RunAsync(edited, "gate", "--grace", "0", "--format", "junit");

        // Then the first passes and the second blocks, naming the migration.
        Assert.Multiple(() =>
        {
            Assert.That(unchanged.ExitCode, Is.EqualTo((int)ExitCode.Success), unchanged.ToString());
            Assert.That(changed.ExitCode, Is.EqualTo((int)ExitCode.Findings), changed.ToString());
        });
        var failure = XDocument.Parse(changed.Stdout).Descendants("testcase")
            .Single(c => (string)c.Attribute("name")! == "migration 1000000910 is unchanged since it was applied").Element("failure");
        Assert.That(failure?.Value, Does.Contain("was edited after it was applied").And.Contain("M1000000910_AuditTableEdited"));
    }

    [Test]
    public async Task Editing_an_upstream_migration_applied_with_migrate_up_to_a_daemon_version_makes_the_gate_report_it()
    {
        // Given a database brought to daemon 0.5.2 with migrate up --to 0.5.2: no operator migration ran.
        await using var deployment = await GatedDeployment.CreateAsync("0.5.2", seed: false);

        // When the gate runs with this build, with a build whose 50200 Up() was edited, and with one whose Down() was.
        string[] gate = ["gate", "--to", "0.5.2", "--grace", "0", "--no-record", "--format", "json"];
        var unchanged = await deployment.RunAsync(gate);
        var upEdited = await deployment.RunAsync(MigrationCatalog.Default.Replacing(typeof(M0050200_PluginReadmeRecordsEdited)), gate);
        var downEdited = await deployment.RunAsync(MigrationCatalog.Default.Replacing(typeof(M0050200_PluginReadmeRecordsDownEdited)), gate);

        // Then the checksums were recorded although no operator migration ran, and both edits block, naming 50200.
        await Assert.MultipleAsync(async () =>
        {
            Assert.That(
                await deployment.Database.ScalarAsync<long>("SELECT count(*) FROM dbintegrity_migration_checksums"),
                Is.EqualTo(MigrationCatalog.Default.Upstream.Count(m => m.Id <= 50201)));
            Assert.That(unchanged.ExitCode, Is.EqualTo((int)ExitCode.Success), unchanged.ToString());
            Assert.That(Unchanged50200(unchanged).Status, Is.EqualTo("passed"));
            Assert.That(upEdited.ExitCode, Is.EqualTo((int)ExitCode.Findings), upEdited.ToString());
            Assert.That(Unchanged50200(upEdited).Message, Does.Contain("migration 50200 (M0050200_PluginReadmeRecordsEdited) was edited after it was applied"));
            Assert.That(downEdited.ExitCode, Is.EqualTo((int)ExitCode.Findings), downEdited.ToString());
            Assert.That(Unchanged50200(downEdited).Message, Does.Contain("migration 50200 (M0050200_PluginReadmeRecordsDownEdited)").And.Contain("Down()"));
        });

        static (string Status, string Message) Unchanged50200(CliResult run)
        {
            using var json = JsonDocument.Parse(run.Stdout);
            var check = json.RootElement.GetProperty("migrationChecks").EnumerateArray()
                .Single(c => c.GetProperty("name").GetString() == "migration 50200 is unchanged since it was applied");
            return (check.GetProperty("status").GetString()!, check.GetProperty("message").GetString()!);
        }
    }

    [Test]
    public async Task An_applied_migration_unknown_to_the_build_or_a_pending_one_below_an_applied_one_blocks()
    {
        await using var deployment = await GatedDeployment.CreateAsync("latest", seed: false, catalog: MigrationCatalog.Default.With(typeof(M1000000910_AuditTable)));

        var unknown = await deployment.RunAsync(MigrationCatalog.Default, "gate", "--grace", "0");
        var outOfOrder = await deployment.RunAsync(
            MigrationCatalog.Default.With(typeof(M1000000910_AuditTable), typeof(M1000000905_InsertedBelow)), "gate", "--grace", "0");

        Assert.Multiple(() =>
        {
            Assert.That(unknown.ExitCode, Is.EqualTo((int)ExitCode.Findings), unknown.ToString());
            Assert.That(unknown.Stdout, Does.Contain("1000000910 are not part of this build"));
            Assert.That(outOfOrder.ExitCode, Is.EqualTo((int)ExitCode.Findings), outOfOrder.ToString());
            Assert.That(outOfOrder.Stdout, Does.Contain("1000000905 are pending but 1000000910 is already applied"));
        });
    }

    [Test]
    public async Task The_gate_writes_nothing_but_its_record_and_still_decides_on_a_read_only_database()
    {
        // Given a healthy deployment whose database refuses every write.
        await using var deployment = await GatedDeployment.CreateAsync("latest");
        await deployment.Database.ExecuteAsync($"ALTER DATABASE \"{deployment.Database.Name}\" SET default_transaction_read_only = on");

        var readOnly = await deployment.RunAsync("gate", "--grace", "0");

        await deployment.Database.ExecuteAsync($"ALTER DATABASE \"{deployment.Database.Name}\" SET default_transaction_read_only = off");
        var before = await DatabaseState.CaptureAsync(deployment.Database);
        var recorded = await deployment.RunAsync("gate", "--grace", "0");
        var notRecorded = await deployment.RunAsync("gate", "--grace", "0", "--no-record");

        // Then it passes each time; it writes only its row in dbintegrity_check_runs, and only when it may.
        await Assert.MultipleAsync(async () =>
        {
            Assert.That(readOnly.ExitCode, Is.EqualTo((int)ExitCode.Success), readOnly.ToString());
            Assert.That(readOnly.Stdout, Does.Contain("not recorded in dbintegrity_check_runs").And.Contain("read-only"));
            Assert.That(recorded.ExitCode, Is.EqualTo((int)ExitCode.Success), recorded.ToString());
            Assert.That(recorded.Stdout, Does.Contain("recorded as run"));
            Assert.That(notRecorded.ExitCode, Is.EqualTo((int)ExitCode.Success), notRecorded.ToString());
            Assert.That(await DatabaseState.CaptureAsync(deployment.Database), Is.EqualTo(before));
            Assert.That(await DatabaseState.CheckRunsAsync(deployment.Database), Is.EqualTo(new[] { ("gate", "pass") }));
        });
    }

    [Test]
    public async Task On_an_empty_database_the_gate_passes_with_the_check_skipped_and_migrate_up_gate_creates_the_schema()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var bucket = await TestBucket.CreateAsync();
        var environment = CliRunner.Environment(database, bucket);

        var gate = await CliRunner.RunAsync(environment, "gate", "--grace", "0");
        var migrate = await CliRunner.RunAsync(environment, "migrate", "up", "--gate", "--grace", "0");
        var gateAfter = await CliRunner.RunAsync(environment, "gate", "--grace", "0", "--format", "json");

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(gate.ExitCode, Is.EqualTo((int)ExitCode.Success), gate.ToString());
            Assert.That(gate.Stdout, Does.Contain("Integrity check skipped"));
            Assert.That(migrate.ExitCode, Is.EqualTo((int)ExitCode.Success), migrate.ToString());
            Assert.That(gateAfter.ExitCode, Is.EqualTo((int)ExitCode.Success), gateAfter.ToString());
            Assert.That(await database.ScalarAsync<long>("SELECT count(*) FROM dbintegrity_migration_checksums"), Is.EqualTo(MigrationCatalog.Default.Migrations.Count));
            Assert.That(await DatabaseState.CheckRunsAsync(database), Is.EqualTo(new[] { ("migrate up --gate", "applied"), ("gate", "pass") }));
        });
        using var json = JsonDocument.Parse(gateAfter.Stdout);
        var unchanged = json.RootElement.GetProperty("migrationChecks").EnumerateArray().Where(c => c.GetProperty("name").GetString()!.EndsWith("is unchanged since it was applied", StringComparison.Ordinal));
        Assert.That(unchanged.Select(c => c.GetProperty("status").GetString()), Has.Exactly(MigrationCatalog.Default.Migrations.Count).EqualTo("passed"));
    }

    [Test]
    public async Task A_fresh_install_over_a_bucket_with_old_junk_is_not_rolled_back_for_findings_it_did_not_create()
    {
        // Given an empty database and a bucket that already holds junk under the installed prefix (a folder marker, a stray file).
        await using var database = await TestDatabase.CreateAsync();
        await using var bucket = await TestBucket.CreateAsync();
        await bucket.Store.PutAsync("plugin/", ReadOnlyMemory<byte>.Empty, CancellationToken.None);
        await bucket.Store.PutAsync("plugin/notes.txt", "x"u8.ToArray(), CancellationToken.None);
        var environment = CliRunner.Environment(database, bucket);

        // When migrate up --gate creates the schema: there was no check before it (no daemon tables), only the one inside the run.
        var migrate = await CliRunner.RunAsync(environment, "migrate", "up", "--gate", "--grace", "0", "--format", "json");

        // Then the junk is reported as found, not as created by the migrations, and the install is committed.
        Assert.That(migrate.ExitCode, Is.EqualTo((int)ExitCode.Success), migrate.ToString());
        using var json = JsonDocument.Parse(migrate.Stdout);
        var run = json.RootElement.GetProperty("run");
        Assert.Multiple(() =>
        {
            Assert.That(run.GetProperty("committed").GetBoolean(), Is.True);
            Assert.That(run.GetProperty("newFindings").GetArrayLength(), Is.Zero);
            Assert.That(run.GetProperty("after").GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("rule").GetString()), Does.Contain("installed-key-invalid"));
        });
    }

    [Test]
    public async Task A_database_the_daemon_made_is_gated_as_the_release_it_looks_like_but_not_migrated()
    {
        // Given a database a 0.5.2 daemon made itself, with no version table, and a duplicated plugins row.
        await using var deployment = await GatedDeployment.CreateAsync("0.5.2", seed: false);
        await deployment.Database.ExecuteAsync("DROP TABLE dbintegrity_version_info");
        await deployment.Database.ExecuteAsync(
            "INSERT INTO plugins (id, plugin_unique_identifier, plugin_id, install_type) VALUES "
            + "(gen_random_uuid(), 'acme/dup:1.0.0@abcd', 'acme/dup', 'remote'), (gen_random_uuid(), 'acme/dup:1.0.0@abcd', 'acme/dup', 'remote')");

        var gate = await deployment.RunAsync("gate", "--to", "0.5.4", "--grace", "0", "--rules", "refers-mismatch");
        var migrate = await deployment.RunAsync("migrate", "up", "--gate", "--to", "0.5.4");

        Assert.Multiple(() =>
        {
            Assert.That(gate.ExitCode, Is.EqualTo((int)ExitCode.Findings), gate.ToString());
            Assert.That(gate.Stdout, Does.Contain("looks like daemon 0.5.2").And.Contain("plugins-identifier-unique").And.Contain("acme/dup:1.0.0@abcd"));
            Assert.That(migrate.ExitCode, Is.EqualTo((int)ExitCode.UsageError), migrate.ToString());
            Assert.That(migrate.Stderr, Does.Contain("dbintegrity migrate baseline"));
        });
    }

    [Test]
    public async Task A_downgrade_is_gated_by_the_preconditions_of_the_downs_it_would_run()
    {
        // Given a 0.5.4 database without uuid-ossp (a daemon of 0.5.2 or later never needed it, docs/daemon/database.md#base-model).
        await using var deployment = await GatedDeployment.CreateAsync("0.5.4", seed: false);
        await deployment.Database.ExecuteAsync("DROP EXTENSION \"uuid-ossp\" CASCADE");

        var gate = await deployment.RunAsync("gate", "--to", "0.5.1", "--grace", "0");
        var down = await deployment.RunAsync("migrate", "down", "--to", "0.5.1");

        Assert.Multiple(() =>
        {
            Assert.That(gate.ExitCode, Is.EqualTo((int)ExitCode.Findings), gate.ToString());
            Assert.That(gate.Stdout, Does.Contain("uuid-generate-v4-available").And.Contain("to revert: 50401, 50400, 50201"));
            Assert.That(down.ExitCode, Is.EqualTo((int)ExitCode.Incomplete));
            Assert.That(down.Stderr, Does.Contain("42883"));
        });
    }

    [Test]
    public async Task A_daemon_version_target_addresses_the_upstream_chain_and_never_reverts_operator_migrations()
    {
        // Given a database at latest: every upstream migration and DbIntegrity's own applied.
        await using var deployment = await GatedDeployment.CreateAsync("latest", seed: false);

        // When the gate is asked for the release the database already has, then for an older one, and it is migrated down to that one.
        var same = await deployment.RunAsync("gate", "--to", "0.5.4", "--grace", "0", "--format", "json", "--no-record");
        var older = await deployment.RunAsync("gate", "--to", "0.5.2", "--grace", "0", "--format", "json", "--no-record");
        var down = await deployment.RunAsync("migrate", "down", "--to", "0.5.2");

        // Then 0.5.4 is nothing to do (not a downgrade of the operator migrations), 0.5.2 reverts only 0.5.4's
        // migrations, and migrate down does exactly what the gate planned.
        using var sameJson = JsonDocument.Parse(same.Stdout);
        using var olderJson = JsonDocument.Parse(older.Stdout);
        await Assert.MultipleAsync(async () =>
        {
            Assert.That(same.ExitCode, Is.EqualTo((int)ExitCode.Success), same.ToString());
            Assert.That(sameJson.RootElement.GetProperty("direction").GetString(), Is.EqualTo("Up").IgnoreCase);
            Assert.That(sameJson.RootElement.GetProperty("pending").GetArrayLength(), Is.Zero);
            Assert.That(sameJson.RootElement.GetProperty("targetUpstreamOnly").GetBoolean(), Is.True);
            Assert.That(older.ExitCode, Is.EqualTo((int)ExitCode.Success), older.ToString());
            Assert.That(olderJson.RootElement.GetProperty("direction").GetString(), Is.EqualTo("Down").IgnoreCase);
            Assert.That(olderJson.RootElement.GetProperty("pending").EnumerateArray().Select(m => m.GetProperty("id").GetInt64()), Is.EqualTo(new[] { 50401L, 50400L }));
            Assert.That(down.ExitCode, Is.EqualTo((int)ExitCode.Success), down.ToString());
            Assert.That(
                await deployment.Database.ScalarAsync<long[]>("SELECT array_agg(version ORDER BY version) FROM dbintegrity_version_info WHERE version >= 50200"),
                Is.EqualTo(new[] { 50200L, 50201L }.Concat(MigrationCatalog.Default.Operator.Select(m => m.Id))));
        });
    }

    [TestCase("gate", "--to", "bogus")]
    [TestCase("gate", "--baseline", "/nonexistent/baseline.json")]
    [TestCase("migrate", "up", "--baseline", "/nonexistent/baseline.json")]
    [TestCase("migrate", "up", "--gate", "--preview")]
    [TestCase("migrate", "up", "--format", "json")]
    [TestCase("migrate", "up", "--grace", "0")]
    [TestCase("migrate", "up", "--timeout", "1m")]
    [TestCase("migrate", "up", "--deep-parallelism", "8")]
    public async Task Bad_flags_and_unreadable_baselines_exit_2(params string[] args)
    {
        await using var database = await TestDatabase.CreateMigratedAsync();
        await using var bucket = await TestBucket.CreateAsync();

        var run = await CliRunner.RunAsync(CliRunner.Environment(database, bucket), args);

        Assert.That(run.ExitCode, Is.EqualTo((int)ExitCode.UsageError), run.ToString());
    }

    [Test]
    public async Task An_unreachable_database_exits_3_for_the_gate_and_migrate_up_gate()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var bucket = await TestBucket.CreateAsync();
        var environment = CliRunner.Environment(database, bucket, new Dictionary<string, string?> { ["DB_PORT"] = "1" });

        var gate = await CliRunner.RunAsync(environment, "gate");
        var migrate = await CliRunner.RunAsync(environment, "migrate", "up", "--gate");

        Assert.Multiple(() =>
        {
            Assert.That(gate.ExitCode, Is.EqualTo((int)ExitCode.Incomplete), gate.ToString());
            Assert.That(migrate.ExitCode, Is.EqualTo((int)ExitCode.Incomplete), migrate.ToString());
            Assert.That(gate.ToString() + migrate, Does.Not.Contain(environment.Get("DB_PASSWORD")));
        });
    }
}
