using System.Collections.Concurrent;
using DbIntegrity.Core.Scanning;
using DbIntegrity.IntegrationTests.Infrastructure;
using Npgsql;
using static DbIntegrity.IntegrationTests.Infrastructure.TestDeadline;

namespace DbIntegrity.IntegrationTests.Checking;

/// <summary>
/// A query streamed on a connection of its own (<see cref="PgStream{T}"/>): every row in order, each page processed
/// once, no more pages ahead than asked while the reader waits, and a reader that stops, is cancelled or meets a failure
/// leaves no statement running (the connection answers again once its transaction is rolled back).
/// </summary>
[Category("Integration")]
[Parallelizable(ParallelScope.Self)]
public sealed class StreamReadAheadTests
{
    private const int PageSize = 100;

    // Rows as long as they are read (a recursive query makes each as it is asked for).
    private const string Endless = "WITH RECURSIVE s (n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s) SELECT n FROM s";

    [TestCase(1)]
    [TestCase(3)]
    public Task Every_row_comes_in_order_and_each_page_is_processed_once(int lookahead) => Bounded(async () =>
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var connection = await OpenAsync(database);
        await using var transaction = await connection.BeginTransactionAsync();
        var sizes = new ConcurrentQueue<int>();
        var stream = Stream(connection, transaction, "SELECT n FROM generate_series(1, 1050) n ORDER BY n", lookahead, page => sizes.Enqueue(page.Count));

        var read = new List<int>();
        await foreach (var n in stream.ReadAsync(CancellationToken.None))
        {
            read.Add(n);
        }

        Assert.That(read, Is.EqualTo(Enumerable.Range(1, 1050)));
        // Ten full pages, then the short one; no empty page after it.
        Assert.That(sizes, Is.EqualTo(Enumerable.Repeat(PageSize, 10).Append(50)));
        Assert.That(await AnswersAsync(connection, transaction), Is.True);
    });

    [Test]
    public Task A_result_of_whole_pages_ends_without_an_empty_page() => Bounded(async () =>
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var connection = await OpenAsync(database);
        await using var transaction = await connection.BeginTransactionAsync();
        var sizes = new ConcurrentQueue<int>();
        var stream = Stream(connection, transaction, "SELECT n FROM generate_series(1, 300) n", 2, page => sizes.Enqueue(page.Count));

        Assert.That(await CountAsync(stream, CancellationToken.None), Is.EqualTo(300));
        Assert.That(sizes, Is.EqualTo(new[] { PageSize, PageSize, PageSize }));
    });

    [TestCase(1)]
    [TestCase(2)]
    public Task A_reader_that_waits_holds_the_stream_back(int lookahead) => Bounded(async () =>
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var connection = await OpenAsync(database);
        await using var transaction = await connection.BeginTransactionAsync();
        var pages = 0;
        var stream = Stream(connection, transaction, "SELECT n FROM generate_series(1, 100000) n", lookahead, _ => Interlocked.Increment(ref pages));

        await using (var rows = stream.ReadAsync(CancellationToken.None).GetAsyncEnumerator())
        {
            Assert.That(await rows.MoveNextAsync(), Is.True);
            // Nothing more is read while the reader holds its first page: the pages ready ahead, and the one read after
            // them waiting for room. Given time to run ahead, it has not.
            await Task.Delay(TimeSpan.FromMilliseconds(500));
            Assert.That(Volatile.Read(ref pages), Is.InRange(1, lookahead + 2));

            var read = 1;
            while (await rows.MoveNextAsync())
            {
                read++;
            }

            Assert.That(read, Is.EqualTo(100_000));
        }

        Assert.That(pages, Is.EqualTo(1000));
    });

    [TestCase(1)]
    [TestCase(3)]
    public Task A_reader_that_stops_early_ends_the_query_rather_than_reading_it_out(int lookahead) => Bounded(async () =>
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var connection = await OpenAsync(database);
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            // A query without end: read out, it would never let the connection go.
            var stream = Stream(connection, transaction, Endless, lookahead);
            var read = 0;
            await foreach (var _ in stream.ReadAsync(CancellationToken.None))
            {
                if (++read == 10)
                {
                    break;
                }
            }

            await transaction.RollbackAsync();
        }

        Assert.That(await AnswersAsync(connection, null), Is.True);
    });

    [TestCase(1)]
    [TestCase(3)]
    public Task A_cancelled_read_throws_and_leaves_the_connection_usable_after_a_rollback(int lookahead) => Bounded(async () =>
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var connection = await OpenAsync(database);
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            using var cancel = new CancellationTokenSource();
            var stream = Stream(connection, transaction, Endless, lookahead);
            var read = 0;

            Assert.That(
                async () =>
                {
                    await foreach (var _ in stream.ReadAsync(cancel.Token))
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

        Assert.That(await AnswersAsync(connection, null), Is.True);
    });

    [Test]
    public Task A_query_that_fails_midway_fails_the_reader_with_its_own_error() => Bounded(async () =>
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var connection = await OpenAsync(database);
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            var stream = Stream(connection, transaction, "SELECT 1 / (n - 650) FROM generate_series(1, 1000) n", 1);
            var read = 0;

            var failure = Assert.ThrowsAsync<PostgresException>(async () =>
            {
                await foreach (var _ in stream.ReadAsync(CancellationToken.None))
                {
                    read++;
                }
            });

            Assert.That(failure!.SqlState, Is.EqualTo(PostgresErrorCodes.DivisionByZero));
            // The rows before the failure were handed out, in whole pages; the page it broke was not.
            Assert.That(read, Is.EqualTo(600));
            await transaction.RollbackAsync();
        }

        Assert.That(await AnswersAsync(connection, null), Is.True);
    });

    [Test]
    public Task A_page_that_fails_to_process_ends_the_query_and_fails_the_reader_with_its_error() => Bounded(async () =>
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var connection = await OpenAsync(database);
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            // Failing on the first page of rows without end: the rest can only be left, never read out.
            var stream = Stream(connection, transaction, Endless, 1, _ => throw new InvalidDataException("page one"));

            var failure = Assert.ThrowsAsync<InvalidDataException>(async () => await CountAsync(stream, CancellationToken.None));

            Assert.That(failure!.Message, Is.EqualTo("page one"));
            await transaction.RollbackAsync();
        }

        Assert.That(await AnswersAsync(connection, null), Is.True);
    });

    [Test]
    public async Task A_statement_timeout_is_seen_whether_set_for_the_session_or_not()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var connection = await OpenAsync(database);
        await using var transaction = await connection.BeginTransactionAsync();
        Assert.That(await PgStream.StatementTimeoutSetAsync(connection, transaction, CancellationToken.None), Is.False, "the test database sets none");

        await using (var set = new NpgsqlCommand("SET LOCAL statement_timeout = '5min'", connection, transaction))
        {
            await set.ExecuteNonQueryAsync();
        }

        Assert.That(await PgStream.StatementTimeoutSetAsync(connection, transaction, CancellationToken.None), Is.True);
    }

    private static async Task<NpgsqlConnection> OpenAsync(TestDatabase database)
    {
        var connection = new NpgsqlConnection(database.Settings.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    private static PgStream<int> Stream(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, int lookahead, Action<List<int>>? onPage = null) =>
        new(connection, transaction, sql, r => r.GetInt32(0), PageSize) { Lookahead = lookahead, OnPage = onPage };

    private static async Task<int> CountAsync(PgStream<int> stream, CancellationToken cancellationToken)
    {
        var count = 0;
        await foreach (var _ in stream.ReadAsync(cancellationToken))
        {
            count++;
        }

        return count;
    }

    private static async Task<bool> AnswersAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction)
    {
        await using var check = new NpgsqlCommand("SELECT 1", connection, transaction);
        return Equals(await check.ExecuteScalarAsync(), 1);
    }
}
