using DbIntegrity.Core.History;
using DbIntegrity.Core.Rules;
using Npgsql;

namespace DbIntegrity.Core.Gate;

/// <summary>
/// Records a gate run in <c>dbintegrity_check_runs</c> (operator migration 1000000000), when that table exists: the
/// gate's one and only write. It happens in its own short transaction after the gate's read-only work, and for
/// <c>migrate up --gate</c> after the migration transaction ended, so a rolled-back run is recorded too. A failed
/// write (e.g. a read-only role) is reported and changes no verdict. The row is written by <see cref="CheckRunTable"/>, the
/// table's one writer.
/// </summary>
public static class CheckRunRecorder
{
    public const string Table = CheckRunTable.Table;

    /// <summary>Records the run; <paramref name="present"/> is the host's presenter, applied to every string of the stored report.</summary>
    public static async Task<(long? Id, string? Note)> RecordAsync(NpgsqlDataSource dataSource, GateReport report, Func<string, string>? present, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using (var exists = new NpgsqlCommand($"SELECT to_regclass(quote_ident(current_schema()) || '.{Table}') IS NOT NULL", connection, transaction))
            {
                if (await exists.ExecuteScalarAsync(cancellationToken) is not true)
                {
                    return (null, $"not recorded: this database has no {Table} table yet (migration 1000000000 creates it).");
                }
            }

            var check = report.Run?.After ?? report.Check;
            var id = await CheckRunTable.InsertAsync(
                connection,
                transaction,
                new CheckRun(
                    report.StartedAt,
                    report.StartedAt + report.Duration,
                    report.Command,
                    Outcome(report),
                    check?.CountsBySeverity.GetValueOrDefault(Severity.Error),
                    check?.CountsBySeverity.GetValueOrDefault(Severity.Warning),
                    report.SchemaAfter?.Id,
                    GateJsonWriter.Write(report, compact: true, present)),
                cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return (id, null);
        }
        catch (NpgsqlException ex)
        {
            return (null, $"not recorded in {Table}: {(ex as PostgresException)?.MessageText ?? ex.Message}");
        }
    }

    /// <summary>pass, block, incomplete; for migrate up --gate also applied and rolled back.</summary>
    public static string Outcome(GateReport report) => report switch
    {
        { Run.Committed: true } => "applied",
        { Run: { Committed: false, Executed.Count: > 0 } } => "rolled back",
        { Run.StoppedAt: not null } => "rolled back",
        _ => report.Verdict.ToString().ToLowerInvariant(),
    };
}
