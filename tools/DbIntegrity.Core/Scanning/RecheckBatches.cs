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
/// reading candidates (one batch in flight at a time: the connection runs one command at a time), so the server's
/// lookups and this process's reading overlap instead of taking turns.
/// </summary>
internal sealed partial class RecheckBatches(NpgsqlConnection connection, NpgsqlTransaction? transaction, ExternalSorter failed, int batchSize = 1000) : IAsyncDisposable
{
    private readonly Dictionary<(string Sql, int Arity), Batch> _batches = [];
    private Task _inFlight = Task.CompletedTask;

    /// <summary>Queries sent so far (one per batch).</summary>
    public int RoundTrips { get; private set; }

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
            // The previous batch first: its failures surface here, and the connection is free again.
            await _inFlight;
            _inFlight = RunAsync(batch.Take(), cancellationToken);
        }
    }

    /// <summary>Runs every batch not yet run. Call once, after the last <see cref="AddAsync"/>.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        await _inFlight;
        foreach (var batch in _batches.Values.Where(b => b.Indices.Count > 0))
        {
            await RunAsync(batch.Take(), cancellationToken);
        }
    }

    /// <summary>Waits for a batch still in flight (a caller that stopped early), so it never outlives the connection.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await _inFlight;
        }
        catch (Exception ex) when (ex is OperationCanceledException or NpgsqlException or IOException)
        {
            // The caller is already failing or cancelled; that is its story, not this batch's.
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

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA2100", Justification = "Recheck SQL is written by rules; values travel as parameters.")]
    private async Task RunAsync(Taken batch, CancellationToken cancellationToken)
    {
        var holds = new HashSet<long>();
        RoundTrips++;
        if (batch.Columns.Length == 0)
        {
            await using var single = new NpgsqlCommand(batch.Sql, connection, transaction);
            if (await single.ExecuteScalarAsync(cancellationToken) is true)
            {
                holds.UnionWith(Enumerable.Range(1, batch.Indices.Length).Select(n => (long)n));
            }
        }
        else
        {
            await using var command = new NpgsqlCommand(BatchSql(batch.Sql, batch.Columns.Length), connection, transaction);
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

        for (var i = 0; i < batch.Indices.Length; i++)
        {
            if (!holds.Contains(i + 1))
            {
                await failed.AddAsync(new SortRecord(Confirmation.Key(batch.Indices[i]), string.Empty), cancellationToken);
            }
        }
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
}
