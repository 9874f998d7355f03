using System.Data.Common;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Npgsql;

namespace DbIntegrity.Core.Scanning;

/// <summary>What decides whether a query may be streamed (<see cref="PgStream{T}"/>).</summary>
internal static class PgStream
{
    /// <summary>
    /// Whether the transaction runs under a <c>statement_timeout</c> (the role's, the database's or the server's): a
    /// streamed query is one statement for as long as its reader takes, and would be ended by it.
    /// </summary>
    public static async Task<bool> StatementTimeoutSetAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT current_setting('statement_timeout') <> '0'", connection, transaction);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}

/// <summary>
/// Streams one query's rows from a connection that runs nothing else meanwhile, in pages, as a plain query rather than a
/// cursor: PostgreSQL sends rows as fast as they are read, with no round trip between pages and no pause while this
/// process reads the end of one (a cursor's FETCH waits for the next). Memory stays bounded all the same: at most
/// <see cref="Lookahead"/> pages wait to be handed out, one more is read and processed and then waits for room, and one
/// is being handed out (<see cref="Lookahead"/> + 2 pages held, against a cursor's <see cref="PgCursor{T}.Lookahead"/>
/// + 1); while they wait nothing more is read from the socket, so the server waits on its send once the socket's
/// buffers are full.
/// <para>
/// The query is one statement for as long as its reader takes: not for a transaction under a <c>statement_timeout</c>
/// (<see cref="PgStream.StatementTimeoutSetAsync"/>), where a cursor's FETCHes are statements each. A pooler's own
/// limit on a query's duration (PgBouncer's <c>query_timeout</c>) cannot be seen from here; it would end the stream,
/// and the scan would say so (incomplete), not report a result.
/// </para>
/// <para>
/// A reader that stops early, or a cancelled one, cancels the query (Npgsql sends PostgreSQL a cancel request), and so
/// does a failure of <see cref="OnPage"/> or of reading a row: the statement then fails, so its transaction can only be
/// rolled back, which is what a scan that stopped does with it.
/// </para>
/// </summary>
internal sealed class PgStream<T>
{
    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction? _transaction;
    private readonly string _sql;
    private readonly Func<DbDataReader, T> _map;
    private readonly int _pageSize;

    public PgStream(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, Func<DbDataReader, T> map, int pageSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        _connection = connection;
        _transaction = transaction;
        _sql = sql;
        _map = map;
        _pageSize = pageSize;
    }

    /// <summary>Runs on each page once it is read, before it is handed out, on the thread that reads the rows.</summary>
    public Action<List<T>>? OnPage { get; init; }

    /// <summary>How many pages, read and processed (<see cref="OnPage"/>), wait to be handed out at most: at least 1.</summary>
    public int Lookahead
    {
        get;
        init => field = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "at least one page");
    } = 1;

    public async IAsyncEnumerable<T> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var pages = Channel.CreateBounded<List<T>>(new BoundedChannelOptions(Lookahead) { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var reading = Task.Run(() => ReadPagesAsync(pages.Writer, stop.Token), CancellationToken.None);
        try
        {
            await foreach (var page in pages.Reader.ReadAllAsync(cancellationToken))
            {
                foreach (var row in page)
                {
                    yield return row;
                }
            }

            // The pages ended: the read is over, and its failure, if any, is the reader's.
            await reading;
        }
        finally
        {
            if (!reading.IsCompleted)
            {
                // Stopped early: the query is cancelled, and over before the connection can be used for anything else.
                await stop.CancelAsync();
            }

            await reading.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            // Its failure, if any, reached the reader through the pages, or is not news after a stop.
            _ = reading.Exception;
        }
    }

    // Reads the rows a page at a time, each page processed, then queued; a failure ends the pages with it.
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA2100", Justification = "SQL is written by the scanner from schema names.")]
    private async Task ReadPagesAsync(ChannelWriter<List<T>> pages, CancellationToken cancellationToken)
    {
        try
        {
            // CommandTimeout 0: the scan is bounded as a whole by its --timeout, through the cancellation token.
            await using var command = new NpgsqlCommand(_sql, _connection, _transaction) { CommandTimeout = 0 };
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            try
            {
                var page = new List<T>(_pageSize);
                while (await reader.ReadAsync(cancellationToken))
                {
                    page.Add(_map(reader));
                    if (page.Count == _pageSize)
                    {
                        OnPage?.Invoke(page);
                        await pages.WriteAsync(page, cancellationToken);
                        page = new List<T>(_pageSize);
                    }
                }

                if (page.Count > 0)
                {
                    OnPage?.Invoke(page);
                    await pages.WriteAsync(page, cancellationToken);
                }
            }
            catch (Exception ex) when (cancellationToken.IsCancellationRequested || ex is not NpgsqlException)
            {
                // Stopped outside Npgsql (waiting for room, WriteAsync), or failed here (_map, OnPage): without this,
                // closing the reader would read every row left, with nothing to stop it. Npgsql's own failures leave
                // no statement running, and a cancellation Npgsql already sent is not sent again.
                command.Cancel();
                throw;
            }

            pages.Complete();
        }
        catch (Exception ex)
        {
            // TryComplete: the pages may be complete already when closing the reader fails; the first failure stays the story.
            pages.TryComplete(ex);
            throw;
        }
    }
}
