using System.Globalization;
using DbIntegrity.Core.Migrating;
using DbIntegrity.Migrations.Preconditions;
using Npgsql;

namespace DbIntegrity.Core.Gate;

/// <summary>
/// Runs preconditions inside a transaction the caller owns: the gate's read-only snapshot, or a gated migration's own
/// transaction right before the migration (so it sees what the earlier migrations of the run did). Each runs under a
/// savepoint, so one that cannot run leaves the transaction usable. Nothing is written.
/// </summary>
internal static class PreconditionEvaluator
{
    /// <summary>Offending rows listed per precondition; the rest are counted.</summary>
    public const int ListedRows = 20;

    private const string Savepoint = "dbintegrity_precondition";

    public static async Task<IReadOnlyList<PreconditionResult>> EvaluateAsync(
        IEnumerable<MigrationDescriptor> migrations, MigrationDirection direction, NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        var results = new List<PreconditionResult>();
        foreach (var migration in migrations)
        {
            foreach (var precondition in migration.PreconditionsFor(direction))
            {
                results.Add(await EvaluateAsync(migration, precondition, connection, transaction, cancellationToken));
            }
        }

        return results;
    }

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA2100", Justification = "Precondition SQL is constant text declared next to its migration.")]
    public static async Task<PreconditionResult> EvaluateAsync(
        MigrationDescriptor migration, MigrationPrecondition precondition, NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await ExecuteAsync($"SAVEPOINT {Savepoint}", connection, transaction, cancellationToken);
        try
        {
            var columns = new List<string>();
            var rows = new List<IReadOnlyList<string?>>();
            var count = 0;
            await using (var command = new NpgsqlCommand(precondition.OffendingRowsSql, connection, transaction))
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                columns.AddRange(Enumerable.Range(0, reader.FieldCount).Select(reader.GetName));
                while (await reader.ReadAsync(cancellationToken))
                {
                    if (++count <= ListedRows)
                    {
                        rows.Add([.. Enumerable.Range(0, reader.FieldCount).Select(i => Text(reader.GetValue(i)))]);
                    }
                }
            }

            await ExecuteAsync($"RELEASE SAVEPOINT {Savepoint}", connection, transaction, cancellationToken);
            return new PreconditionResult
            {
                Migration = migration,
                Precondition = precondition,
                Status = count == 0 ? PreconditionStatus.Holds : PreconditionStatus.Violated,
                Columns = columns,
                Rows = rows,
                OffendingCount = count,
            };
        }
        catch (PostgresException ex)
        {
            await ExecuteAsync($"ROLLBACK TO SAVEPOINT {Savepoint}", connection, transaction, cancellationToken);
            var missing = ex.SqlState is PostgresErrorCodes.UndefinedTable or PostgresErrorCodes.UndefinedColumn;
            return new PreconditionResult
            {
                Migration = migration,
                Precondition = precondition,
                Status = missing ? PreconditionStatus.NotApplicable : PreconditionStatus.NotEvaluated,
                Note = missing
                    ? $"what it reads does not exist yet ({ex.MessageText}); an earlier pending migration creates it empty, so nothing can offend."
                    : $"its query failed: {ex.SqlState}: {ex.MessageText}.",
            };
        }
    }

    private static async Task ExecuteAsync(string sql, NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
#pragma warning disable CA2100 // Constant savepoint statements.
        await using var command = new NpgsqlCommand(sql, connection, transaction);
#pragma warning restore CA2100
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string? Text(object value) => value switch
    {
        DBNull => null,
        DateTime time => time.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        DateTimeOffset time => time.ToString("yyyy-MM-dd HH:mm:sszzz", CultureInfo.InvariantCulture),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };
}
