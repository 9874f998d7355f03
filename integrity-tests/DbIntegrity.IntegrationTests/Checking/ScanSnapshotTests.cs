using DbIntegrity.Core.Scanning;
using DbIntegrity.IntegrationTests.Infrastructure;
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

        var side = await IntegrityScanner.OpenSideAsync(database.DataSource, connection, transaction, CancellationToken.None);
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

    [Test]
    public async Task Without_a_second_connection_the_scan_runs_on_one()
    {
        await using var database = await TestDatabase.CreateMigratedAsync();
        await using var connection = await database.DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead);
        await CountAsync(connection, transaction);
        var elsewhere = new NpgsqlConnectionStringBuilder(database.DataSource.ConnectionString) { Database = $"{database.Name}_absent" };
        await using var absent = NpgsqlDataSource.Create(elsewhere);

        Assert.That(await IntegrityScanner.OpenSideAsync(absent, connection, transaction, CancellationToken.None), Is.Null);
        Assert.That(await CountAsync(connection, transaction), Is.Zero, "the scan's own transaction is still usable");
    }

    private static async Task<long> CountAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction)
    {
        await using var command = new NpgsqlCommand("SELECT count(*) FROM plugins", connection, transaction);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
