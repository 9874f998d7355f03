using DbIntegrity.Core.Scanning;
using DbIntegrity.IntegrationTests.Infrastructure;
using Npgsql;

namespace DbIntegrity.IntegrationTests.Checking;

/// <summary>
/// The scan's cursor reads are bounded by the scan's --timeout, not by Npgsql's per-statement CommandTimeout (30 s by
/// default): a FETCH that sorts a large table for longer than that must not end the scan as "incomplete".
/// </summary>
[Category("Integration")]
[Parallelizable(ParallelScope.Self)]
public sealed class ScanStatementTimeoutTests
{
    [Test]
    public async Task A_cursor_read_slower_than_the_command_timeout_still_completes()
    {
        await using var database = await TestDatabase.CreateAsync();
        // One second stands in for the default 30: the FETCH below takes two.
        var connectionString = new NpgsqlConnectionStringBuilder(database.Settings.ConnectionString) { CommandTimeout = 1 }.ConnectionString;
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var cursor = new PgCursor<int>(connection, transaction, "SELECT 1 FROM pg_sleep(2)", r => r.GetInt32(0), 100);

        var rows = new List<int>();
        await foreach (var row in cursor.ReadAsync(CancellationToken.None))
        {
            rows.Add(row);
        }

        Assert.That(rows, Is.EqualTo(new[] { 1 }));
    }
}
