using System.Data.Common;
using DbIntegrity.Core.Configuration;
using DbIntegrity.Core.Database;
using DbIntegrity.Core.Rules;
using DbIntegrity.Core.Storage;
using Npgsql;

namespace DbIntegrity.Core.Scanning;

/// <summary>The state of one running scan: its snapshot connection, the schema it found, and where findings go.</summary>
internal sealed class ScanSession
{
    // One per connection: a session made with On(…) has another connection, so its own.
    private readonly SemaphoreSlim _connectionTurn = new(1, 1);

    public required NpgsqlConnection Connection { get; init; }

    public required NpgsqlTransaction Transaction { get; init; }

    public required DatabaseSchema Schema { get; init; }

    public required IObjectReader Storage { get; init; }

    public required StorageLayout Layout { get; init; }

    public required ScanOptions Options { get; init; }

    /// <summary>The database's clock when the scan started: the reference every timestamp is aged against.</summary>
    public required DateTimeOffset Now { get; init; }

    public required ScanCollector Collector { get; init; }

    public ScanStatistics Statistics { get; private init; } = new();

    public IProgress<ScanProgress>? Progress { get; init; }

    /// <summary>A cursor on this session's connection, taking its turn with the session's other cursors (<see cref="PgCursor{T}.Gate"/>).</summary>
    public PgCursor<T> Cursor<T>(string sql, Func<DbDataReader, T> map, params IReadOnlyList<NpgsqlParameter> parameters) =>
        new(Connection, Transaction, sql, map, Options.PageSize, parameters) { Gate = _connectionTurn };

    /// <summary>
    /// The same, in pages of <paramref name="pageSize"/> rows, <paramref name="lookahead"/> of them read ahead
    /// (<see cref="PgCursor{T}.Lookahead"/>).
    /// </summary>
    public PgCursor<T> CursorWithPages<T>(string sql, Func<DbDataReader, T> map, int pageSize, int lookahead, Action<List<T>>? onPage = null) =>
        new(Connection, Transaction, sql, map, pageSize) { Gate = _connectionTurn, Lookahead = lookahead, OnPage = onPage };

    /// <summary>
    /// One query streamed on this session's connection, which must run nothing else until it is read (a session of its
    /// own, <see cref="On"/>), in pages of <paramref name="pageSize"/> rows, <paramref name="lookahead"/> of them ready
    /// ahead (<see cref="PgStream{T}"/>).
    /// </summary>
    public PgStream<T> Stream<T>(string sql, Func<DbDataReader, T> map, int pageSize, int lookahead, Action<List<T>>? onPage = null) =>
        new(Connection, Transaction, sql, map, pageSize) { Lookahead = lookahead, OnPage = onPage };

    /// <summary>One paged listing of a prefix, read one page ahead, counted for the report.</summary>
    public async IAsyncEnumerable<StoredObject> ListAsync(string prefix, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var entry in AsyncPrefetch.Buffer(Storage.ListAsync(prefix, cancellationToken), 2000, cancellationToken))
        {
            Statistics.Count(prefix);
            yield return entry;
        }
    }

    /// <summary>
    /// The same scan on another connection and transaction (one reading the same snapshot), counting into the same
    /// statistics and reporting no progress of its own.
    /// </summary>
    public ScanSession On(NpgsqlConnection connection, NpgsqlTransaction transaction) => new()
    {
        Connection = connection,
        Transaction = transaction,
        Schema = Schema,
        Storage = Storage,
        Layout = Layout,
        Options = Options,
        Now = Now,
        Collector = Collector,
        Statistics = Statistics,
    };

    public RuleContext ContextFor(IIntegrityRule rule) => new(rule, Schema, Layout, Options.Grace, Now, Collector);
}
