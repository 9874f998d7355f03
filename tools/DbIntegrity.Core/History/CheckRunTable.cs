using DbIntegrity.Core.Reporting;
using DbIntegrity.Core.Rules;
using DbIntegrity.Core.Wording;
using Npgsql;
using NpgsqlTypes;

namespace DbIntegrity.Core.History;

/// <summary>
/// <c>serve</c>'s history in <c>dbintegrity_check_runs</c> (operator migration 1000000000), DbIntegrity's own table,
/// never one of the daemon's, and the one writer of its rows (serve's scans here, the gate's runs through
/// <c>Gate.CheckRunRecorder</c>). <see cref="OpenAsync"/> decides once whether the role may write it; when it may not,
/// serve keeps its history in memory and says so.
/// </summary>
public sealed class CheckRunTable
{
    public const string Table = "dbintegrity_check_runs";
    public const string Command = "serve";

    /// <summary>Findings a row's JSON report lists at most; its counts stay complete (<see cref="Excerpt"/>).</summary>
    public const int StoredFindings = 200;

    private readonly NpgsqlDataSource _dataSource;

    private CheckRunTable(NpgsqlDataSource dataSource) => _dataSource = dataSource;

    /// <summary>The table when it exists and the role may insert into it; otherwise null and the reason.</summary>
    public static async Task<(CheckRunTable? Table, string Reason)> OpenAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        try
        {
            await using var command = dataSource.CreateCommand(
                $"""
                SELECT to_regclass(quote_ident(current_schema()) || '.{Table}') IS NOT NULL,
                       to_regclass(quote_ident(current_schema()) || '.{Table}') IS NOT NULL
                       AND has_table_privilege(quote_ident(current_schema()) || '.{Table}', 'INSERT'),
                       current_setting('transaction_read_only') = 'on'
                """);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            if (!reader.GetBoolean(0))
            {
                return (null, $"the database has no {Table} table (migration 1000000000 creates it)");
            }

            if (reader.GetBoolean(2))
            {
                return (null, $"the role's sessions are read-only (default_transaction_read_only), so {Table} is not written");
            }

            return reader.GetBoolean(1)
                ? (new CheckRunTable(dataSource), $"table {Table}")
                : (null, $"the role may not insert into {Table} (a read-only role)");
        }
        catch (NpgsqlException ex)
        {
            return (null, $"{Table} could not be read: {(ex as PostgresException)?.MessageText ?? ex.Message}");
        }
    }

    /// <summary>The last <paramref name="limit"/> serve runs, oldest first.</summary>
    public async Task<IReadOnlyList<RunPoint>> ReadAsync(int limit, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(
            $"""
            SELECT finished_at, outcome, error_findings, warning_findings FROM (
              SELECT id, finished_at, outcome, error_findings, warning_findings FROM {Table}
              WHERE command = $1 AND finished_at IS NOT NULL ORDER BY started_at DESC, id DESC LIMIT $2) last
            ORDER BY finished_at, id
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = Command });
        command.Parameters.Add(new NpgsqlParameter { Value = limit });
        var points = new List<RunPoint>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var status = Enum.TryParse<ScanStatus>(reader.IsDBNull(1) ? null : reader.GetString(1), ignoreCase: true, out var s) ? s : ScanStatus.Incomplete;
            points.Add(new RunPoint(
                reader.GetFieldValue<DateTimeOffset>(0),
                status,
                reader.IsDBNull(2) ? null : reader.GetInt32(2),
                reader.IsDBNull(3) ? null : reader.GetInt32(3)));
        }

        return points;
    }

    /// <summary>
    /// Records one scan in its own short transaction: its counts, and its JSON report with the first
    /// <see cref="StoredFindings"/> findings (a lost prefix is 10⁵ findings; the row keeps the summary exact and says how
    /// many it left out). <paramref name="present"/> is the host's presenter, applied to every string stored.
    /// </summary>
    public async Task RecordAsync(ScanReport report, Func<string, string>? present, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        var point = RunPoint.From(report);
        var json = JsonReportWriter.Write(report, Excerpt(Severity.Info), present);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await InsertAsync(
            connection,
            null,
            new CheckRun(report.StartedAt, point.FinishedAt, Command, report.Status.ToString().ToLowerInvariant(), point.Errors, point.Warnings, null, json),
            cancellationToken);
    }

    /// <summary>
    /// What a row's report keeps of the findings: the first <see cref="StoredFindings"/> of at least
    /// <paramref name="minimum"/> severity, and a note that the check's JSON report lists every one.
    /// </summary>
    internal static FindingsExcerpt Excerpt(Severity minimum) => new(
        StoredFindings,
        minimum,
        $"{Table} keeps the first {StoredFindings} {(minimum == Severity.Info ? string.Empty : "error and warning ")}findings of a run, most severe first; "
            + $"the counts in summary are complete, and the JSON report of the check ({HostWords.Of(UserOption.ReportFormat)} json) lists every finding.");

    /// <summary>The one INSERT into the table, for serve's scans and the gate's runs alike. Returns the row's id.</summary>
    internal static async Task<long> InsertAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, CheckRun run, CancellationToken cancellationToken)
    {
        await using var insert = new NpgsqlCommand(
            $"""
            INSERT INTO {Table} (started_at, finished_at, command, outcome, error_findings, warning_findings, tool_version, schema_version, report)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
            RETURNING id
            """,
            connection,
            transaction);
        insert.Parameters.Add(new NpgsqlParameter { Value = run.StartedAt });
        insert.Parameters.Add(new NpgsqlParameter { Value = run.FinishedAt });
        insert.Parameters.Add(new NpgsqlParameter { Value = run.Command });
        insert.Parameters.Add(new NpgsqlParameter { Value = run.Outcome });
        insert.Parameters.Add(new NpgsqlParameter { Value = (object?)run.Errors ?? DBNull.Value });
        insert.Parameters.Add(new NpgsqlParameter { Value = (object?)run.Warnings ?? DBNull.Value });
        insert.Parameters.Add(new NpgsqlParameter { Value = ToolVersion.Current });
        insert.Parameters.Add(new NpgsqlParameter { Value = (object?)run.SchemaVersion ?? DBNull.Value });
        insert.Parameters.Add(new NpgsqlParameter { Value = run.Report, NpgsqlDbType = NpgsqlDbType.Jsonb });
        return (long)(await insert.ExecuteScalarAsync(cancellationToken))!;
    }
}
