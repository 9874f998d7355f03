using System.Text.RegularExpressions;
using DbIntegrity.Core.Rules;
using DbIntegrity.Core.Sorting;
using Npgsql;
using NpgsqlTypes;

namespace DbIntegrity.Core.Scanning;

/// <summary>
/// Runs query rechecks in batches: the candidates of one recheck SQL are collected (at most 1,000 at a time) and the
/// SQL runs once for all of them, its <c>$n</c> parameters replaced by the columns of <c>unnest($1::text[], …)</c>.
/// A lost prefix makes a recheck per row; one round trip each would take longer than the scan (issue 13).
/// Candidates whose recheck does not hold go to <c>failed</c> by index. A full batch runs while the caller goes on
/// reading candidates, so the server's lookups and this process's reading overlap instead of taking turns. A connection
/// runs one command at a time; given <c>openLane</c>, a second connection is opened the first time a batch is full
/// while one is still in flight, and batches then take turns on the two, so two backends look rows up while the
/// caller reads (at 10^5 identifiers with a wiped prefix the caller waited 0.4 of its 0.65 s for one backend;
/// docs/benchmarks.md). Failures are added to <c>failed</c> on the caller's thread only, as each batch is collected.
/// </summary>
internal sealed partial class RecheckBatches(
    NpgsqlConnection connection, NpgsqlTransaction? transaction, ExternalSorter failed, int batchSize = 1000, Func<CancellationToken, Task<NpgsqlConnection?>>? openLane = null)
    : IAsyncDisposable
{
    private const int MaxLanes = 2;
    private readonly Dictionary<(string Sql, int Arity), Batch> _batches = [];
    private readonly List<Lane> _lanes = [new Lane(connection, transaction, owned: false)];
    private bool _noMoreLanes = openLane is null;

    /// <summary>Queries sent so far (one per batch).</summary>
    public int RoundTrips { get; private set; }

    /// <summary>Connections the batches ran on (1, or 2 once a second was opened).</summary>
    public int Lanes => _lanes.Count;

    public async Task AddAsync(long index, Recheck.Query query, CancellationToken cancellationToken)
    {
        var key = (query.Sql, query.Parameters.Count);
        if (!_batches.TryGetValue(key, out var batch))
        {
            batch = new Batch(query.Sql, query.Parameters.Count);
            _batches[key] = batch;
        }

        batch.Indices.Add(index);
        for (var i = 0; i < batch.Columns.Length; i++)
        {
            batch.Columns[i].Add(query.Parameters[i] as string);
        }

        if (batch.Indices.Count >= batchSize)
        {
            var lane = await FreeLaneAsync(cancellationToken);
            lane.InFlight = RunAsync(lane, batch.Take(), cancellationToken);
        }
    }

    /// <summary>Runs every batch not yet run and collects every answer. Call once, after the last <see cref="AddAsync"/>.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        foreach (var batch in _batches.Values.Where(b => b.Indices.Count > 0))
        {
            var lane = await FreeLaneAsync(cancellationToken);
            lane.InFlight = RunAsync(lane, batch.Take(), cancellationToken);
        }

        foreach (var lane in _lanes)
        {
            await CollectAsync(lane, cancellationToken);
        }
    }

    /// <summary>Waits for batches still in flight (a caller that stopped early), so none outlives its connection, and closes the lane opened here.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var lane in _lanes)
        {
            try
            {
                await lane.InFlight;
            }
            catch (Exception ex) when (ex is OperationCanceledException or NpgsqlException or IOException or InvalidOperationException)
            {
                // The caller is already failing or cancelled; that is its story, not this batch's.
            }
            finally
            {
                if (lane.Owned)
                {
                    await lane.Connection.DisposeAsync();
                }
            }
        }
    }

    // A lane with no batch in flight: one that is done, else a new one (once), else the first to finish. Its answers
    // are collected first, so its failures surface here.
    private async Task<Lane> FreeLaneAsync(CancellationToken cancellationToken)
    {
        var lane = _lanes.Find(l => l.InFlight.IsCompleted);
        if (lane is null && !_noMoreLanes && _lanes.Count < MaxLanes)
        {
            _noMoreLanes = true;
            if (await openLane!(cancellationToken) is { } opened)
            {
                lane = new Lane(opened, null, owned: true);
                _lanes.Add(lane);
            }
        }

        if (lane is null)
        {
            var done = await Task.WhenAny(_lanes.Select(l => l.InFlight));
            lane = _lanes.Find(l => l.InFlight == done)!;
        }

        await CollectAsync(lane, cancellationToken);
        return lane;
    }

    // The lane's batch answered: its failures to the sorter (on the caller's thread: the sorter is not thread-safe).
    private async Task CollectAsync(Lane lane, CancellationToken cancellationToken)
    {
        var failures = await lane.InFlight;
        lane.InFlight = Task.FromResult<long[]>([]);
        foreach (var index in failures)
        {
            Confirmation.AddFailed(failed, index, cancellationToken);
        }
    }

    /// <summary>
    /// The batched form of a recheck: the rows of the parameter arrays for which the recheck's first value is true
    /// (a recheck holds when its query returns true, as <c>ExecuteScalar</c> would read it).
    /// </summary>
    internal static string BatchSql(string sql, int arity)
    {
        var arrays = string.Join(", ", Enumerable.Range(1, arity).Select(n => $"${n}::text[]"));
        var columns = string.Join(", ", Enumerable.Range(1, arity).Select(n => $"a{n}"));
        var correlated = Parameter().Replace(sql, m => $"dbi_recheck.a{m.Groups[1].Value}");
        return $"SELECT dbi_recheck.n FROM unnest({arrays}) WITH ORDINALITY AS dbi_recheck({columns}, n) "
            + $"WHERE coalesce((SELECT dbi_held.holds FROM ({correlated}) AS dbi_held(holds) LIMIT 1), false)";
    }

    // The batch's candidates whose recheck does not hold, by index.
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA2100", Justification = "Recheck SQL is written by rules; values travel as parameters.")]
    private async Task<long[]> RunAsync(Lane lane, Taken batch, CancellationToken cancellationToken)
    {
        var holds = new HashSet<long>();
        RoundTrips++;
        if (batch.Columns.Length == 0)
        {
            await using var single = new NpgsqlCommand(batch.Sql, lane.Connection, lane.Transaction);
            if (await single.ExecuteScalarAsync(cancellationToken) is true)
            {
                holds.UnionWith(Enumerable.Range(1, batch.Indices.Length).Select(n => (long)n));
            }
        }
        else
        {
            await using var command = new NpgsqlCommand(BatchSql(batch.Sql, batch.Columns.Length), lane.Connection, lane.Transaction);
            foreach (var column in batch.Columns)
            {
                command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = column });
            }

            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                holds.Add(reader.GetInt64(0));
            }
        }

        return [.. batch.Indices.Where((_, i) => !holds.Contains(i + 1))];
    }

    // Rules write recheck SQL with positional parameters and no dollar-quoted strings (Recheck.Query).
    [GeneratedRegex(@"\$(\d+)", RegexOptions.CultureInvariant)]
    private static partial Regex Parameter();

    private sealed class Batch(string sql, int arity)
    {
        public string Sql { get; } = sql;

        public List<long> Indices { get; } = [];

        public List<string?>[] Columns { get; } = [.. Enumerable.Range(0, arity).Select(_ => new List<string?>())];

        /// <summary>What the batch holds, to run; the batch starts collecting afresh.</summary>
        public Taken Take()
        {
            var taken = new Taken(Sql, [.. Indices], [.. Columns.Select(c => c.ToArray())]);
            Indices.Clear();
            foreach (var column in Columns)
            {
                column.Clear();
            }

            return taken;
        }
    }

    private sealed record Taken(string Sql, long[] Indices, string?[][] Columns);

    // A connection batches run on, and the batch in flight on it (its failures, by index, once answered).
    private sealed class Lane(NpgsqlConnection connection, NpgsqlTransaction? transaction, bool owned)
    {
        public NpgsqlConnection Connection { get; } = connection;

        public NpgsqlTransaction? Transaction { get; } = transaction;

        public bool Owned { get; } = owned;

        public Task<long[]> InFlight { get; set; } = Task.FromResult<long[]>([]);
    }
}
