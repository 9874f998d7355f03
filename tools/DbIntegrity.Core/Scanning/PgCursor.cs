using System.Data.Common;
using System.Runtime.CompilerServices;
using Npgsql;

namespace DbIntegrity.Core.Scanning;

/// <summary>
/// Streams a query through a server-side cursor, page by page, reading ahead. Several cursors can be open at once on the one
/// connection of a scan and read in turn, all from the same REPEATABLE READ snapshot: this is how the scanner merges
/// sorted tables with sorted listings without holding either whole in memory.
/// <para>
/// Each cursor reads ahead (<see cref="Lookahead"/> pages, one by default): while its rows are handed out, the next
/// page is fetched (and <see cref="OnPage"/> run on it) in the background, so PostgreSQL works on it while this process
/// works on the rows. With two, PostgreSQL fetches page n+2 while <see cref="OnPage"/> runs on page n+1.
/// A connection runs one command at a time, so every command of the cursors sharing one goes through
/// <see cref="Gate"/>, that connection's turn.
/// </para>
/// </summary>
internal sealed class PgCursor<T>
{
    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction? _transaction;
    private readonly string _sql;
    private readonly Func<DbDataReader, T> _map;
    private readonly int _pageSize;
    private readonly IReadOnlyList<NpgsqlParameter> _parameters;

    /// <summary>
    /// Runs on each page once it is read, before its rows are handed out (outside <see cref="Gate"/>, so other cursors
    /// fetch meanwhile). With <see cref="Lookahead"/> above 1 it may run on two pages at once, each on its own page.
    /// </summary>
    public Action<List<T>>? OnPage { get; set; }

    /// <summary>
    /// How many pages are fetched (and processed by <see cref="OnPage"/>) ahead of the one being read, at least 1: each
    /// holds up to a page of rows in memory.
    /// </summary>
    public int Lookahead
    {
        get;
        init => field = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "at least one page");
    } = 1;

    /// <summary>The turn of the connection, shared by every cursor on it (<see cref="ScanSession.Cursor{T}"/>); a cursor alone on its connection may keep its own.</summary>
    public SemaphoreSlim Gate { get; init; } = new(1, 1);

    public PgCursor(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, Func<DbDataReader, T> map, int pageSize, params IReadOnlyList<NpgsqlParameter> parameters)
    {
        _connection = connection;
        _transaction = transaction;
        _sql = sql;
        _map = map;
        _pageSize = pageSize;
        _parameters = parameters;
    }

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA2100", Justification = "SQL is written by the scanner and its rules from schema names; values travel as parameters.")]
    public async IAsyncEnumerable<T> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var name = $"dbi_cursor_{Guid.NewGuid():N}";
        // CommandTimeout 0: a FETCH may sort or join a whole table first and run longer than Npgsql's 30 s default; the
        // scan is bounded as a whole by its --timeout, through the cancellation token.
        await InTurnAsync(
            async () =>
            {
                await using var declare = new NpgsqlCommand($"DECLARE {name} NO SCROLL CURSOR FOR {_sql}", _connection, _transaction) { CommandTimeout = 0 };
                foreach (var parameter in _parameters)
                {
                    declare.Parameters.Add(parameter.Clone());
                }

                return await declare.ExecuteNonQueryAsync(cancellationToken);
            },
            cancellationToken);

        // Pages in flight ahead of the one being read, each fetched after the one before it (FETCH is ordered) and
        // processed (OnPage) on its own, so page n+2 is fetched while page n+1 is processed and page n is read.
        var ahead = new Queue<Task<List<T>?>>();
        Task<List<T>?>? lastFetch = null;
        void FetchNext()
        {
            var previous = lastFetch;
            // Started without the token, so it runs: a task cancelled before it starts would not wait for the fetch
            // before it, and the connection could be used again while that one still runs. A cancelled fetch ends at
            // its turn (Gate) or in Npgsql; the ones after it end on its failure without a command.
            var fetch = Task.Run(() => FetchAfterAsync(previous, name, cancellationToken), CancellationToken.None);
            lastFetch = fetch;
            ahead.Enqueue(ProcessedAsync(fetch));
        }

        for (var n = 0; n < Lookahead; n++)
        {
            FetchNext();
        }

        try
        {
            while (ahead.Count > 0)
            {
                var page = await ahead.Dequeue();
                if (page is null)
                {
                    break;
                }

                // A short page is the last one: nothing more to fetch.
                if (page.Count == _pageSize)
                {
                    FetchNext();
                }

                foreach (var item in page)
                {
                    yield return item;
                }
            }
        }
        finally
        {
            // A reader that stops early (a failed scan, a merge that needs no more) leaves fetches in flight: they must
            // be over before the connection is used for anything else. Their failures are not news then.
            while (ahead.Count > 0)
            {
                await ((Task)ahead.Dequeue()).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }

            if (lastFetch is not null)
            {
                await ((Task)lastFetch).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }

        // An abandoned cursor (a failed scan) goes away with its transaction; a finished one is closed now.
        await InTurnAsync(
            async () =>
            {
                await using var close = new NpgsqlCommand($"CLOSE {name}", _connection, _transaction);
                return await close.ExecuteNonQueryAsync(cancellationToken);
            },
            cancellationToken);
    }

    // The page after the one previous fetched (null once the end was reached: a short page). In the background
    // (Task.Run): the reader's thread goes on with the page it has.
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA2100", Justification = "The cursor's name is made here; the page size is a number.")]
    private async Task<List<T>?> FetchAfterAsync(Task<List<T>?>? previous, string name, CancellationToken cancellationToken)
    {
        if (previous is not null && (await previous)?.Count != _pageSize)
        {
            return null;
        }

        return await InTurnAsync(
            async () =>
            {
                var rows = new List<T>(_pageSize);
                await using var fetch = new NpgsqlCommand($"FETCH FORWARD {_pageSize} FROM {name}", _connection, _transaction) { CommandTimeout = 0 };
                await using var reader = await fetch.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    rows.Add(_map(reader));
                }

                return rows;
            },
            cancellationToken);
    }

    // OnPage runs once the fetch is done, on the thread that finished it.
    private async Task<List<T>?> ProcessedAsync(Task<List<T>?> fetch)
    {
        var page = await fetch;
        if (page is not null)
        {
            OnPage?.Invoke(page);
        }

        return page;
    }

    private async Task<TResult> InTurnAsync<TResult>(Func<Task<TResult>> command, CancellationToken cancellationToken)
    {
        await Gate.WaitAsync(cancellationToken);
        try
        {
            return await command();
        }
        finally
        {
            Gate.Release();
        }
    }
}
