using System.Data.Common;
using System.Runtime.CompilerServices;
using Npgsql;

namespace DbIntegrity.Core.Scanning;

/// <summary>
/// Streams a query through a server-side cursor, one page at a time. Several cursors can be open at once on the one
/// connection of a scan and read in turn, all from the same REPEATABLE READ snapshot: this is how the scanner merges
/// sorted tables with sorted listings without holding either whole in memory.
/// </summary>
internal sealed class PgCursor<T>
{
    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction? _transaction;
    private readonly string _sql;
    private readonly Func<DbDataReader, T> _map;
    private readonly int _pageSize;
    private readonly IReadOnlyList<NpgsqlParameter> _parameters;

    /// <summary>Runs on each page once it is read, before its rows are handed out (while the connection is free).</summary>
    public Action<List<T>>? OnPage { get; set; }

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
        await using (var declare = new NpgsqlCommand($"DECLARE {name} NO SCROLL CURSOR FOR {_sql}", _connection, _transaction) { CommandTimeout = 0 })
        {
            foreach (var parameter in _parameters)
            {
                declare.Parameters.Add(parameter.Clone());
            }

            await declare.ExecuteNonQueryAsync(cancellationToken);
        }

        while (true)
        {
            var page = new List<T>(_pageSize);
            await using (var fetch = new NpgsqlCommand($"FETCH FORWARD {_pageSize} FROM {name}", _connection, _transaction) { CommandTimeout = 0 })
            await using (var reader = await fetch.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    page.Add(_map(reader));
                }
            }

            OnPage?.Invoke(page);
            foreach (var item in page)
            {
                yield return item;
            }

            if (page.Count < _pageSize)
            {
                break;
            }
        }

        // An abandoned cursor (a failed scan) goes away with its transaction; a finished one is closed now.
        await using var close = new NpgsqlCommand($"CLOSE {name}", _connection, _transaction);
        await close.ExecuteNonQueryAsync(cancellationToken);
    }
}
