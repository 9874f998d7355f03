using DbIntegrity.Core.Scanning;
using DbIntegrity.IntegrationTests.Infrastructure;
using Npgsql;
using static DbIntegrity.IntegrationTests.Infrastructure.TestDeadline;

namespace DbIntegrity.IntegrationTests.Checking;

/// <summary>
/// Cursors read one page ahead, or more (<see cref="PgCursor{T}.Lookahead"/>), in the background and take turns on their shared connection (<see cref="PgCursor{T}.Gate"/>).
/// A connection runs one command at a time, so any command sent outside the turn fails loudly ("A command is already
/// in progress"); these tests read several cursors in turn, stop one early and cancel one mid-fetch, then use the
/// connection again.
/// </summary>
[Category("Integration")]
[Parallelizable(ParallelScope.Self)]
public sealed class CursorReadAheadTests
{
    private const int PageSize = 100;

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    public Task Cursors_sharing_a_connection_read_every_row_in_order_page_after_page(int lookahead) => Bounded(async () =>
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var dataSource = NpgsqlDataSource.Create(database.Settings.ConnectionString);
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var gate = new SemaphoreSlim(1, 1);
        var pages = 0;
        var odd = Cursor(connection, transaction, gate, "SELECT n FROM generate_series(1, 1049, 2) n ORDER BY n", lookahead);
        var even = Cursor(connection, transaction, gate, "SELECT n FROM generate_series(2, 1050, 2) n ORDER BY n", lookahead);
        // Pages ahead are processed on their own threads, possibly at once: each page once, whatever the order.
        even.OnPage = _ => Interlocked.Increment(ref pages);

        // Alternating reads: each cursor's next page is fetched while the other's rows are handed out.
        var merged = new List<int>();
        await using (var a = odd.ReadAsync(CancellationToken.None).GetAsyncEnumerator())
        await using (var b = even.ReadAsync(CancellationToken.None).GetAsyncEnumerator())
        {
            while (await a.MoveNextAsync() | await b.MoveNextAsync())
            {
                merged.Add(a.Current);
                merged.Add(b.Current);
            }
        }

        Assert.That(merged, Is.EqualTo(Enumerable.Range(1, 1050)));
        // 525 rows: five full pages and a short one, each run through OnPage once.
        Assert.That(pages, Is.EqualTo(6));
        Assert.That(await OpenCursorsAsync(connection, transaction), Is.Zero, "a finished cursor is closed");
    });

    [TestCase(1)]
    [TestCase(3)]
    public Task A_result_of_whole_pages_ends_with_one_empty_fetch_and_no_more(int lookahead) => Bounded(async () =>
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var dataSource = NpgsqlDataSource.Create(database.Settings.ConnectionString);
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var sizes = new System.Collections.Concurrent.ConcurrentBag<int>();
        var cursor = Cursor(connection, transaction, new SemaphoreSlim(1, 1), "SELECT n FROM generate_series(1, 300) n ORDER BY n", lookahead);
        cursor.OnPage = page => sizes.Add(page.Count);

        var read = new List<int>();
        await foreach (var n in cursor.ReadAsync(CancellationToken.None))
        {
            read.Add(n);
        }

        Assert.That(read, Is.EqualTo(Enumerable.Range(1, 300)));
        // Three full pages, then the fetch that finds the end; the fetches queued behind it send nothing.
        Assert.That(sizes.Order(), Is.EqualTo(new[] { 0, PageSize, PageSize, PageSize }));
        Assert.That(await OpenCursorsAsync(connection, transaction), Is.Zero, "a finished cursor is closed");
    });

    [TestCase(1)]
    [TestCase(3)]
    public Task A_cursor_left_mid_stream_finishes_its_fetch_before_the_connection_is_used_again(int lookahead) => Bounded(async () =>
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var dataSource = NpgsqlDataSource.Create(database.Settings.ConnectionString);
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        // Each page takes a while on the server, so the page fetched ahead is still in flight when the reader stops.
        var slow = Cursor(connection, transaction, new SemaphoreSlim(1, 1), "SELECT n FROM generate_series(1, 1000) n WHERE pg_sleep(0.002) IS NOT NULL", lookahead);

        var read = 0;
        await foreach (var _ in slow.ReadAsync(CancellationToken.None))
        {
            if (++read == 10)
            {
                break;
            }
        }

        // Outside any gate, straight after: this throws if the fetch ahead were still running on the connection.
        Assert.That(await OpenCursorsAsync(connection, transaction), Is.EqualTo(1), "an abandoned cursor stays open until its transaction ends");
    });

    [TestCase(1)]
    [TestCase(3)]
    public Task A_cancelled_read_stops_its_fetch_and_leaves_the_connection_usable_after_a_rollback(int lookahead) => Bounded(async () =>
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var dataSource = NpgsqlDataSource.Create(database.Settings.ConnectionString);
        await using var connection = await dataSource.OpenConnectionAsync();
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            using var cancel = new CancellationTokenSource();
            var slow = Cursor(connection, transaction, new SemaphoreSlim(1, 1), "SELECT n FROM generate_series(1, 1000) n WHERE pg_sleep(0.01) IS NOT NULL", lookahead);
            var read = 0;

            Assert.That(
                async () =>
                {
                    await foreach (var _ in slow.ReadAsync(cancel.Token))
                    {
                        if (++read == 5)
                        {
                            await cancel.CancelAsync();
                        }
                    }
                },
                Throws.InstanceOf<OperationCanceledException>());
            await transaction.RollbackAsync();
        }

        await using var check = new NpgsqlCommand("SELECT 1", connection);
        Assert.That(await check.ExecuteScalarAsync(), Is.EqualTo(1));
    });

    private static PgCursor<int> Cursor(NpgsqlConnection connection, NpgsqlTransaction transaction, SemaphoreSlim gate, string sql, int lookahead = 1) =>
        new(connection, transaction, sql, r => r.GetInt32(0), PageSize) { Gate = gate, Lookahead = lookahead };

    private static async Task<long> OpenCursorsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_cursors WHERE name LIKE 'dbi_cursor_%'", connection, transaction);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
