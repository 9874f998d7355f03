using DbIntegrity.Cli;
using DbIntegrity.Cli.Infrastructure;
using DbIntegrity.Core;
using DbIntegrity.Core.Migrating;
using DbIntegrity.IntegrationTests.Infrastructure;

namespace DbIntegrity.IntegrationTests.Migrating;

/// <summary>Adopting databases the daemon made itself, built from hand-written GORM-shaped SQL (Fixtures/).</summary>
[Category("Integration")]
[Parallelizable(ParallelScope.Children)]
public sealed class BaselineTests
{
    [Test]
    public async Task Baseline_of_a_fresh_current_daemon_database_names_0_5_4_and_up_then_applies_only_operator_migrations()
    {
        // Given a database GORM created with daemon 0.6.10, holding rows, without any version table.
        await using var database = await TestDatabase.CreateAsync();
        await MigrationCases.RunFixtureAsync(database, "gorm_fresh_0_6_10.sql");
        await using var service = await MigrationCases.ServiceAsync(database);

        // When it is baselined and migrated up.
        var baseline = await service.BaselineAsync(acceptDrift: false, record: true, CancellationToken.None);
        var up = await service.UpAsync("latest", CancellationToken.None);

        // Then it was recognised as 0.5.4 without drift, every upstream migration was recorded, and up ran only DbIntegrity's own.
        Assert.Multiple(() =>
        {
            Assert.That(baseline.Recognition.Version.ToString(), Is.EqualTo("0.5.4"));
            Assert.That(baseline.Recognition.Drift, Is.Empty);
            Assert.That(baseline.Recorded, Is.True);
            Assert.That(baseline.Migrations.Select(m => m.Id), Is.EqualTo(MigrationCatalog.Default.Upstream.Select(m => m.Id)));
            Assert.That(up.Executed, Is.Not.Empty.And.All.Property(nameof(MigrationDescriptor.IsOperator)).True);
            Assert.That(up.Executed.Select(m => m.Id), Is.EqualTo(MigrationCatalog.Default.Operator.Select(m => m.Id)));
        });
        Assert.That(await database.ScalarAsync<long>("SELECT count(*) FROM plugins"), Is.EqualTo(1));
    }

    [Test]
    public async Task Down_refuses_to_revert_migrations_a_baseline_recorded_and_the_gate_plans_no_such_downgrade()
    {
        // Given a database GORM created with daemon 0.6.10, baselined (every upstream migration recorded, none run) and migrated up.
        await using var database = await TestDatabase.CreateAsync();
        await using var bucket = await TestBucket.CreateAsync();
        await MigrationCases.RunFixtureAsync(database, "gorm_fresh_0_6_10.sql");
        await using var service = await MigrationCases.ServiceAsync(database);
        await service.BaselineAsync(acceptDrift: false, record: true, CancellationToken.None);
        await service.UpAsync("latest", CancellationToken.None);
        var before = await MigrationCases.InspectAsync(database);

        // When it is asked to go back below the baseline, with migrate down and with the gate; then only above it.
        var down = Assert.ThrowsAsync<ConfigurationException>(() => service.DownAsync("0.5.2", CancellationToken.None));
        var toZero = Assert.ThrowsAsync<ConfigurationException>(() => service.DownAsync("0", CancellationToken.None));
        var gate = await CliRunner.RunAsync(CliRunner.Environment(database, bucket), "gate", "--to", "0.5.2", "--grace", "0", "--no-record");
        var aboveBaseline = await service.DownAsync("50401", CancellationToken.None);

        // Then both name the baseline and what to do, nothing changed, and reverting what dbintegrity ran still works.
        Assert.Multiple(() =>
        {
            Assert.That(CommandWords.Fill(down!.Message), Does.Contain("recorded by dbintegrity migrate baseline").And.Contain("daemon 0.5.4").And.Contain("50401, 50400"));
            Assert.That(CommandWords.Fill(down.Message), Does.Contain("--to 50401").And.Contain("backup"));
            Assert.That(CommandWords.Fill(toZero!.Message), Does.Contain("recorded by dbintegrity migrate baseline"));
            Assert.That(gate.ExitCode, Is.EqualTo((int)ExitCode.UsageError), gate.ToString());
            Assert.That(gate.Stderr, Does.Contain("migrate baseline"));
            Assert.That(aboveBaseline.Executed.Select(m => m.Id), Is.EqualTo(MigrationCatalog.Default.Operator.Select(m => m.Id).Reverse()));
        });
        Assert.That(SchemaSnapshot.Of(await MigrationCases.InspectAsync(database)), Is.EqualTo(SchemaSnapshot.Of(before)));
    }

    [Test]
    public async Task Status_of_an_unversioned_daemon_database_says_unversioned_and_what_it_looks_like()
    {
        await using var database = await TestDatabase.CreateAsync();
        await MigrationCases.RunFixtureAsync(database, "gorm_upgraded_0_3_0.sql");
        await using var service = await MigrationCases.ServiceAsync(database);

        var status = await service.StatusAsync(CancellationToken.None);

        Assert.That(status.Versioning, Is.EqualTo(DatabaseVersioning.Unversioned));
        Assert.That(status.Recognition?.Version.ToString(), Is.EqualTo("0.3.0"));
        Assert.That(status.Migrations.Where(m => m.IsApplied), Is.Empty);
    }

    [Test]
    public async Task Up_on_an_unversioned_daemon_database_refuses_and_points_to_baseline()
    {
        await using var database = await TestDatabase.CreateAsync();
        await MigrationCases.RunFixtureAsync(database, "gorm_upgraded_0_3_0.sql");
        await using var service = await MigrationCases.ServiceAsync(database);

        var ex = Assert.ThrowsAsync<ConfigurationException>(() => service.UpAsync(null, CancellationToken.None));

        Assert.That(CommandWords.Fill(ex!.Message), Does.Contain("migrate baseline").And.Contain("0.3.0"));
        Assert.That((await MigrationCases.InspectAsync(database)).HasTable("dbintegrity_version_info"), Is.False);
    }

    [Test]
    public async Task Baseline_of_an_upgraded_0_3_0_database_names_0_3_0_with_its_leftovers_and_up_brings_it_to_the_newest_release()
    {
        // Given a database the daemon created with 0.0.1 and upgraded to 0.3.0, with legacy declarations and a beta table.
        await using var database = await TestDatabase.CreateAsync();
        await MigrationCases.RunFixtureAsync(database, "gorm_upgraded_0_3_0.sql");
        await using var service = await MigrationCases.ServiceAsync(database);

        // When it is baselined and migrated to the latest release.
        var baseline = await service.BaselineAsync(acceptDrift: false, record: true, CancellationToken.None);
        var up = await service.UpAsync("latest", CancellationToken.None);

        // Then the chain continued from 0.3.0 and the result is the newest release, legacy pieces kept, rows kept.
        Assert.Multiple(() =>
        {
            Assert.That(baseline.Recognition.Version.ToString(), Is.EqualTo("0.3.0"));
            Assert.That(baseline.Recognition.Drift, Is.Empty);
            Assert.That(baseline.Recognition.Leftovers, Does.Contain("column plugins.declaration").And.Contain("table endpoint_installations (pre-1.0 beta)"));
            Assert.That(up.Executed.Select(m => m.Id).First(), Is.EqualTo(40000));
        });
        var after = await MigrationCases.InspectAsync(database);
        var recognised = SchemaRecognizer.Recognize(after);
        Assert.That(recognised?.Version, Is.EqualTo(MigrationCatalog.Default.DaemonVersions[^1]));
        Assert.That(recognised!.Drift, Is.Empty);
        Assert.That(after.HasColumn("tool_installations", "declaration"), Is.True);
        Assert.That(await database.ScalarAsync<long>("SELECT count(*) FROM plugins"), Is.EqualTo(2));
    }

    [Test]
    public async Task Baseline_lists_drift_and_records_nothing_unless_drift_is_accepted()
    {
        // Given an upgraded 0.3.0 database that lost a column.
        await using var database = await TestDatabase.CreateAsync();
        await MigrationCases.RunFixtureAsync(database, "gorm_upgraded_0_3_0.sql");
        await database.ExecuteAsync("ALTER TABLE endpoints DROP COLUMN settings");
        await using var service = await MigrationCases.ServiceAsync(database);

        // When it is baselined without, then with accepting drift.
        var refused = await service.BaselineAsync(acceptDrift: false, record: true, CancellationToken.None);
        var statusAfterRefusal = await service.StatusAsync(CancellationToken.None);
        var accepted = await service.BaselineAsync(acceptDrift: true, record: true, CancellationToken.None);

        // Then the version is still named, the missing piece listed, and only the accepted run recorded it.
        Assert.Multiple(() =>
        {
            Assert.That(refused.Recognition.Version.ToString(), Is.EqualTo("0.3.0"));
            Assert.That(refused.Recognition.Drift.Select(d => d.ToString()), Is.EqualTo(new[] { "column endpoints.settings: expected text, found none" }));
            Assert.That(refused.Recorded, Is.False);
            Assert.That(statusAfterRefusal.Versioning, Is.EqualTo(DatabaseVersioning.Unversioned));
            Assert.That(accepted.Recorded, Is.True);
        });
        var status = await service.StatusAsync(CancellationToken.None);
        Assert.That(status.Current?.Id, Is.EqualTo(30001));
        Assert.That(status.Migrations.Where(m => m.IsApplied).Select(m => m.Applied!.IsBaseline), Is.All.True);
    }

    [Test]
    public async Task Baseline_refuses_an_empty_and_an_already_versioned_database()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var service = await MigrationCases.ServiceAsync(database);

        var empty = Assert.ThrowsAsync<ConfigurationException>(() => service.BaselineAsync(false, true, CancellationToken.None));
        await service.UpAsync("0.0.3", CancellationToken.None);
        var versioned = Assert.ThrowsAsync<ConfigurationException>(() => service.BaselineAsync(false, true, CancellationToken.None));

        Assert.That(CommandWords.Fill(empty!.Message), Does.Contain("migrate up"));
        Assert.That(versioned!.Message, Does.Contain("already versioned").And.Contain("300"));
    }
}
