using DbIntegrity.Core.Rules;
using Npgsql;
using NpgsqlTypes;

namespace DbIntegrity.Core.Gate;

/// <summary>
/// Records a gate run in <c>dbintegrity_check_runs</c> (operator migration 1000000000), when that table exists: the
/// gate's one and only write. It happens in its own short transaction after the gate's read-only work, and for
/// <c>migrate up --gate</c> after the migration transaction ended, so a rolled-back run is recorded too. A failed
/// write (e.g. a read-only role) is reported and changes no verdict.
/// </summary>
public static class CheckRunRecorder
{
    public const string Table = "dbintegrity_check_runs";

    public static async Task<(long? Id, string? Note)> RecordAsync(NpgsqlDataSource dataSource, GateReport report, CancellationToken cancellationToken)
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
            await using var insert = new NpgsqlCommand(
                $"""
                INSERT INTO {Table} (started_at, finished_at, command, outcome, error_findings, warning_findings, tool_version, schema_version, report)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
                RETURNING id
                """,
                connection,
                transaction);
            insert.Parameters.Add(new NpgsqlParameter { Value = report.StartedAt });
            insert.Parameters.Add(new NpgsqlParameter { Value = report.StartedAt + report.Duration });
            insert.Parameters.Add(new NpgsqlParameter { Value = report.Command });
            insert.Parameters.Add(new NpgsqlParameter { Value = Outcome(report) });
            insert.Parameters.Add(new NpgsqlParameter { Value = (object?)check?.CountsBySeverity.GetValueOrDefault(Severity.Error) ?? DBNull.Value });
            insert.Parameters.Add(new NpgsqlParameter { Value = (object?)check?.CountsBySeverity.GetValueOrDefault(Severity.Warning) ?? DBNull.Value });
            insert.Parameters.Add(new NpgsqlParameter { Value = ToolVersion.Current });
            insert.Parameters.Add(new NpgsqlParameter { Value = (object?)report.SchemaAfter?.Id ?? DBNull.Value });
            insert.Parameters.Add(new NpgsqlParameter { Value = GateJsonWriter.Write(report, compact: true), NpgsqlDbType = NpgsqlDbType.Jsonb });
            var id = (long)(await insert.ExecuteScalarAsync(cancellationToken))!;
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
