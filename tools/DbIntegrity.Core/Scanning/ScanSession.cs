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

    public required DateTimeOffset GraceCutoff { get; init; }

    public required ScanCollector Collector { get; init; }

    public ScanStatistics Statistics { get; } = new();

    public IProgress<ScanProgress>? Progress { get; init; }

    public PgCursor<T> Cursor<T>(string sql, Func<DbDataReader, T> map, params IReadOnlyList<NpgsqlParameter> parameters) =>
        new(Connection, Transaction, sql, map, Options.PageSize, parameters);

    public RuleContext ContextFor(IIntegrityRule rule) => new(rule, Schema, Layout, Options, GraceCutoff, Collector);
}
