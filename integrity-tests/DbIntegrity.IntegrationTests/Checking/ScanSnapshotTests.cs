using System.Diagnostics;
using DbIntegrity.Core.Configuration;
using DbIntegrity.Core.Database;
using DbIntegrity.Core.Deployments;
using DbIntegrity.Core.Reporting;
using DbIntegrity.Core.Scanning;
using DbIntegrity.IntegrationTests.Infrastructure;
using DbIntegrity.Simulator.Seeding;
using Npgsql;

namespace DbIntegrity.IntegrationTests.Checking;

/// <summary>
/// The database rules read on a second connection beside the identifier pass. It must see exactly the scan's snapshot,
/// not a newer one; and when no second connection can be had, the scan goes on with one.
/// </summary>
[Category("Integration")]
[Parallelizable(ParallelScope.All)]
public sealed class ScanSnapshotTests
{
    [Test]
    public async Task The_second_connection_sees_the_scans_snapshot_not_rows_committed_after_it()
    {
        await using var database = await TestDatabase.CreateMigratedAsync();
        await using var connection = await database.DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead);
        var before = await CountAsync(connection, transaction);

        var side = await IntegrityScanner.OpenSideAsync(database.DataSource, connection, transaction, ["plugins"], IntegrityScanner.SideUse.DatabaseRules, CancellationToken.None);
        Assert.That(side, Is.Not.Null, "a second connection on the snapshot");
        var (sideConnection, sideTransaction) = side!.Value;
        await using (sideConnection)
        {
            await database.ExecuteAsync("INSERT INTO plugins (id, plugin_unique_identifier) VALUES (gen_random_uuid(), 'a/b:0.0.1@" + new string('0', 64) + "')");

            Assert.That(await CountAsync(sideConnection, sideTransaction), Is.EqualTo(before), "the row committed after the snapshot");
            Assert.That(await CountAsync(sideConnection, null), Is.EqualTo(before), "the same transaction");
            Assert.That(await database.ScalarAsync<long>("SELECT count(*) FROM plugins"), Is.EqualTo(before + 1), "a fresh snapshot sees it");
        }
    }

    [TestCase(false, " (rules)")]
    [TestCase(true, " (declarations)")]
    public async Task A_second_connection_is_named_for_its_use_while_its_transaction_lasts(bool declarations, string suffix)
    {
        var use = declarations ? IntegrityScanner.SideUse.Declarations : IntegrityScanner.SideUse.DatabaseRules;
        await using var database = await TestDatabase.CreateMigratedAsync();
        await using var connection = await database.DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead);
        var name = "dbi-named-" + Guid.NewGuid().ToString("N")[..12];
        await using var named = database.Settings.CreateDataSource(name);

        var side = await IntegrityScanner.OpenSideAsync(named, connection, transaction, ["plugin_declarations"], use, CancellationToken.None);
        Assert.That(side, Is.Not.Null);
        await using (side!.Value.Connection)
        {
            Assert.That(await ApplicationNameAsync(side.Value.Connection, side.Value.Transaction), Is.EqualTo(name + suffix));
            await side.Value.Transaction.RollbackAsync();
            Assert.That(await ApplicationNameAsync(side.Value.Connection, null), Is.EqualTo(name), "back to its own name with its transaction over");
        }
    }

    private static async Task<string?> ApplicationNameAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction)
    {
        await using var command = new NpgsqlCommand("SELECT current_setting('application_name')", connection, transaction);
        return (string?)await command.ExecuteScalarAsync();
    }

    [Test]
    public async Task Without_a_second_connection_the_scan_runs_on_one()
    {
        await using var database = await TestDatabase.CreateMigratedAsync();
        await using var connection = await database.DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead);
        await CountAsync(connection, transaction);
        // With the real credentials (a data source's ConnectionString has no password, so one built from it fails for
        // any database): what refuses this connection is the missing database, as a refused second connection would.
        await using var absent = database.Settings.WithDatabase($"{database.Name}_absent").CreateDataSource("dbintegrity-tests");

        Assert.That(await IntegrityScanner.OpenSideAsync(absent, connection, transaction, ["plugins"], IntegrityScanner.SideUse.DatabaseRules, CancellationToken.None), Is.Null);
        Assert.That(await CountAsync(connection, transaction), Is.Zero, "the scan's own transaction is still usable");
    }

    // One connection: every pass on it, in turn. Two: the database rules get the second, and the declarations, refused
    // a third, are read on the first.
    [TestCase(1)]
    [TestCase(2)]
    public async Task A_role_allowed_few_connections_gets_a_complete_scan_with_every_finding(int limit)
    {
        await using var d = await DeploymentUnderTest.CreateAsync();
        var openAi = d.Deployment.Installation(HealthyDeployment.Tenant(1), HealthyDeployment.Plugins.OpenAi);
        await d.Database.ExecuteAsync($"UPDATE plugins SET refers = refers + 1 WHERE id = '{openAi.PluginRowId}'");
        // Read on the declarations' connection when the scan gets one: a broken one must be found either way.
        await d.Database.ExecuteAsync($"UPDATE plugin_declarations SET declaration = '{{\"version\": \"0.0.1\", \"name\": ' WHERE plugin_unique_identifier = '{openAi.Identifier.Value}'");
        await d.Bucket.Store.PutAsync("plugin/langgenius/notes.txt", "left by a migration script"u8.ToArray(), CancellationToken.None);
        await using var role = await TestRole.CreateAsync(
            d.Database,
            $"ALTER ROLE {{role}} CONNECTION LIMIT {limit}",
            "GRANT CONNECT ON DATABASE {database} TO {role}",
            "GRANT USAGE ON SCHEMA public TO {role}",
            "GRANT SELECT ON ALL TABLES IN SCHEMA public TO {role}");
        // Probed on a data source of its own: a refused open (53300) makes Npgsql clear that pool, so the connection
        // held meanwhile is closed, not kept, and its server process leaves a moment later. The scan must not start
        // before it has gone, or its own first connection is the role's second.
        await using (var probe = role.Settings.CreateDataSource())
        {
            var held = new List<NpgsqlConnection>();
            for (var n = 0; n < limit; n++)
            {
                held.Add(await probe.OpenConnectionAsync());
            }

            Assert.That(
                async () => await probe.OpenConnectionAsync(),
                Throws.InstanceOf<PostgresException>().With.Property(nameof(PostgresException.SqlState)).EqualTo(PostgresErrorCodes.TooManyConnections),
                $"the role gets {limit} connection(s), not more");
            foreach (var connection in held)
            {
                await connection.DisposeAsync();
            }
        }

        await WaitForNoBackendAsync(d.Database, role.Name);
        await using var dataSource = role.Settings.CreateDataSource();
        var report = await IntegrityScanner.ScanAsync(
            new DeploymentReader(dataSource, d.Bucket.Store, StorageLayout.Default), new ScanOptions { Grace = TimeSpan.Zero }, null, CancellationToken.None);

        Assert.That(report.IncompleteReason, Is.Null);
        Assert.That(report.Status, Is.EqualTo(ScanStatus.Inconsistent));
        Assert.That(DeploymentUnderTest.Problems(report), Is.EquivalentTo(new Dictionary<string, int> { ["refers-mismatch"] = 1, ["installed-key-invalid"] = 1, ["declaration-invalid"] = 1 }));
    }

    private static async Task WaitForNoBackendAsync(TestDatabase database, string role)
    {
        var waited = Stopwatch.StartNew();
        while (await database.ScalarAsync<long>($"SELECT count(*) FROM pg_stat_activity WHERE usename = '{role}'") > 0)
        {
            Assert.That(waited.Elapsed, Is.LessThan(TimeSpan.FromSeconds(30)), $"role {role} still has a server process");
            await Task.Delay(20);
        }
    }

    [Test]
    public async Task The_second_connection_holds_its_table_locks_from_the_start_or_is_not_used()
    {
        await using var database = await TestDatabase.CreateMigratedAsync();
        await using var connection = await database.DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead);

        // Held from the start, before the scan's own connection reads a table: it never queues behind a migration later.
        var side = await IntegrityScanner.OpenSideAsync(database.DataSource, connection, transaction, ["plugins", "plugin_installations"], IntegrityScanner.SideUse.DatabaseRules, CancellationToken.None);
        Assert.That(side, Is.Not.Null);
        await using (side!.Value.Connection)
        {
            Assert.That(await HeldAsync(side.Value.Connection, side.Value.Transaction, ["plugins", "plugin_installations"]), Is.EqualTo(2L));
        }

        // A table locked by someone else (a migration under way): no second connection, not a wait.
        await using var migration = await database.DataSource.OpenConnectionAsync();
        await using var migrating = await migration.BeginTransactionAsync();
        await using (var exclusive = new NpgsqlCommand("LOCK TABLE plugins IN ACCESS EXCLUSIVE MODE", migration, migrating))
        {
            await exclusive.ExecuteNonQueryAsync();
        }

        await using var second = await database.DataSource.OpenConnectionAsync();
        await using var secondTransaction = await second.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead);
        await using (var now = new NpgsqlCommand("SELECT now()", second, secondTransaction))
        {
            await now.ExecuteScalarAsync();
        }

        Assert.That(await IntegrityScanner.OpenSideAsync(database.DataSource, second, secondTransaction, ["plugins"], IntegrityScanner.SideUse.DatabaseRules, CancellationToken.None), Is.Null);
        await using var still = new NpgsqlCommand("SELECT 1", second, secondTransaction);
        Assert.That(await still.ExecuteScalarAsync(), Is.EqualTo(1), "the scan's own transaction is still usable");
    }

    // The declarations' connection lets go of its lock only as the pass reads on; the scan's own connection must hold
    // every table of the pass before that connection opens, or a migration holding one of them and queued for
    // plugin_declarations behind it would wait for the scan while the scan waits for it.
    [Test]
    public async Task Before_a_third_connection_the_scans_own_holds_every_table_of_the_pass_or_there_is_no_third()
    {
        await using var database = await TestDatabase.CreateMigratedAsync();
        await using var connection = await database.DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead);
        var schema = await SchemaInspector.InspectAsync(connection, CancellationToken.None, transaction);
        var tables = IntegrityScanner.PassTables(schema, readsInstallations: true);
        Assert.That(tables, Is.SupersetOf(new[] { "plugins", "plugin_declarations", "plugin_installations", "tool_installations" }));
        Assert.That(IntegrityScanner.PassTables(schema, readsInstallations: false), Is.EqualTo(new[] { "plugin_declarations", "plugins" }), "no installation rule, no installations locked");

        Assert.That(await IntegrityScanner.TryLockPassTablesAsync(connection, transaction, tables, CancellationToken.None), Is.True);
        Assert.That(await HeldAsync(connection, transaction, tables), Is.EqualTo(tables.Count), "ACCESS SHARE on every table of the pass");
        Assert.That(await SettingAsync(connection, transaction, "lock_timeout"), Is.EqualTo("0"), "the lock timeout as it was");
        await transaction.RollbackAsync();

        // A migration holds one of them: not granted within 2 s, nothing held, and the transaction goes on.
        await using var migration = await database.DataSource.OpenConnectionAsync();
        await using var migrating = await migration.BeginTransactionAsync();
        await using (var exclusive = new NpgsqlCommand("LOCK TABLE plugin_installations IN ACCESS EXCLUSIVE MODE", migration, migrating))
        {
            await exclusive.ExecuteNonQueryAsync();
        }

        await using var second = await database.DataSource.OpenConnectionAsync();
        await using var secondTransaction = await second.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead);
        var clock = Stopwatch.StartNew();
        Assert.That(await IntegrityScanner.TryLockPassTablesAsync(second, secondTransaction, tables, CancellationToken.None), Is.False);
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(10)), "given up at the lock timeout");
        Assert.That(await HeldAsync(second, secondTransaction, tables), Is.Zero, "nothing held after the savepoint is rolled back");
        Assert.That(await SettingAsync(second, secondTransaction, "lock_timeout"), Is.EqualTo("0"), "the lock timeout as it was");
    }

    private static async Task<long> HeldAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<string> tables)
    {
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE l.pid = pg_backend_pid() AND l.mode = 'AccessShareLock' AND l.granted AND c.relname = ANY($1)",
            connection, transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = tables.ToArray() });
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<string?> SettingAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string setting)
    {
        await using var command = new NpgsqlCommand($"SELECT current_setting('{setting}')", connection, transaction);
        return (string?)await command.ExecuteScalarAsync();
    }

    [Test]
    public async Task Cancelled_while_waiting_for_its_locks_the_second_connection_ends_at_once_and_is_closed()
    {
        await using var database = await TestDatabase.CreateMigratedAsync();
        await using var connection = await database.DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead);
        // The side's own application name tells its backend apart from the test's connections.
        var sideName = "dbi-side-" + Guid.NewGuid().ToString("N")[..12];
        await using var sideSource = database.Settings.CreateDataSource(sideName);
        await using var migration = await database.DataSource.OpenConnectionAsync();
        await using var migrating = await migration.BeginTransactionAsync();
        await using (var exclusive = new NpgsqlCommand("LOCK TABLE plugins IN ACCESS EXCLUSIVE MODE", migration, migrating))
        {
            await exclusive.ExecuteNonQueryAsync();
        }

        // Cancelled while it waits for plugins, well before its 2 s lock timeout.
        using var cancel = new CancellationTokenSource();
        var opening = IntegrityScanner.OpenSideAsync(sideSource, connection, transaction, ["plugin_installations", "plugins"], IntegrityScanner.SideUse.DatabaseRules, cancel.Token);
        Assert.That(await SideBackendsAsync(database, sideName, "wait_event_type = 'Lock'", expected: 1), Is.EqualTo(1), "the side waits for its lock");
        var clock = Stopwatch.StartNew();
        await cancel.CancelAsync();
        Assert.That(async () => await opening.WaitAsync(TimeSpan.FromSeconds(10)), Throws.InstanceOf<OperationCanceledException>());
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(1.5)), "ended by the cancellation, not by the lock timeout");

        // The failed LOCK already released whatever the side had locked; what can leak is the connection itself.
        // Disposed, it is back in its pool and closing the pool closes it; one never given back would stay open.
        await sideSource.DisposeAsync();
        var left = await SideBackendsAsync(database, sideName, "true", expected: 0);
        Assert.That(left, Is.Zero, "backends of the second connection");
        await using var still = new NpgsqlCommand("SELECT 1", connection, transaction);
        Assert.That(await still.ExecuteScalarAsync(), Is.EqualTo(1), "the scan's own transaction is still usable");
    }

    // The backends named sideName (or with their use after it) that match the condition, polled for up to 5 s until there are as many as expected.
    private static async Task<long> SideBackendsAsync(TestDatabase database, string sideName, string condition, long expected)
    {
        var count = -1L;
        for (var wait = Stopwatch.StartNew(); count != expected && wait.Elapsed < TimeSpan.FromSeconds(5); await Task.Delay(20))
        {
            count = await database.ScalarAsync<long>($"SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE '{sideName}%' AND {condition}");
        }

        return count;
    }

    private static async Task<long> CountAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction)
    {
        await using var command = new NpgsqlCommand("SELECT count(*) FROM plugins", connection, transaction);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
