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

    /// <summary>
    /// Taken by every cursor command on <see cref="Connection"/>: a connection runs one command at a time, and the side
    /// session's cursors are read from two tasks at once (its database rules, and the installations the identifier
    /// pass reads ahead).
    /// </summary>
    public SemaphoreSlim CommandGate { get; private init; } = new(1, 1);

    /// <summary>
    /// Where the identifier pass reads <c>plugin_installations</c>: this session, or the side session when there is one
    /// (<see cref="ScanPasses"/>), so its sort and pages run on the server while this connection serves the rest.
    /// </summary>
    public ScanSession? Installations { get; set; }

    public PgCursor<T> Cursor<T>(string sql, Func<DbDataReader, T> map, params IReadOnlyList<NpgsqlParameter> parameters) =>
        new(Connection, Transaction, sql, map, Options.PageSize, parameters) { Gate = CommandGate };

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
