using System.Diagnostics.CodeAnalysis;
using DbIntegrity.Core.Database;
using Npgsql;
using NpgsqlTypes;

namespace DbIntegrity.Simulator.Seeding;

/// <summary>
/// One seeding operation's transaction. Writes only the columns the inspected schema has, so the same operation works
/// on every daemon schema version, and converts each value to its column's type (a tenant id is <c>uuid</c> in
/// <c>plugin_installations</c> but <c>varchar(64)</c> in <c>endpoints</c>, docs/daemon/database.md#tables).
/// </summary>
internal sealed class SeedingSession : IAsyncDisposable
{
    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction _transaction;

    private SeedingSession(NpgsqlConnection connection, NpgsqlTransaction transaction, DatabaseSchema schema, DateTimeOffset timestamp)
    {
        _connection = connection;
        _transaction = transaction;
        Schema = schema;
        Timestamp = timestamp;
    }

    public DatabaseSchema Schema { get; }

    /// <summary>The <c>created_at</c>/<c>updated_at</c> of every row this operation writes.</summary>
    public DateTimeOffset Timestamp { get; }

    public static async Task<SeedingSession> BeginAsync(NpgsqlDataSource dataSource, DatabaseSchema schema, DateTimeOffset timestamp, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken);
            return new SeedingSession(connection, transaction, schema, timestamp);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public Task CommitAsync(CancellationToken cancellationToken) => _transaction.CommitAsync(cancellationToken);

    public TableInfo Table(string table) =>
        Schema.Table(table) ?? throw new InvalidOperationException(
            $"The table {table} does not exist in schema {Schema.SchemaName}: this daemon schema version has no such table, so the seeder cannot write it. "
            + "Migrate the database to a version that has it, or check DeploymentSeeder.Schema before seeding.");

    /// <summary>Whether a legacy column must be filled: it exists and is still NOT NULL (databases from daemon 0.0.1, docs/daemon/database.md#schema-history).</summary>
    public bool Requires(string table, string column) => Schema.Table(table)?.Column(column) is { IsNullable: false };

    /// <summary>Inserts a row with a UUIDv7 id and this operation's timestamps; columns the table lacks are skipped.</summary>
    public async Task<Guid> InsertAsync(string table, IEnumerable<(string Column, object? Value)> values, CancellationToken cancellationToken)
    {
        var info = Table(table);
        // Before 0.5.2 the id had a uuid_generate_v4() default, after it the daemon sets a UUIDv7 in Go (docs/daemon/database.md#base-model): always set it.
        var id = Guid.CreateVersion7(Timestamp);
        var row = new List<(string Column, object? Value)> { ("id", id), ("created_at", Timestamp), ("updated_at", Timestamp) };
        row.AddRange(values);
        var present = row.Where(v => info.HasColumn(v.Column)).ToList();
        var columns = string.Join(", ", present.Select(v => SqlIdentifier.Quote(v.Column)));
        var placeholders = string.Join(", ", present.Select((_, i) => $"${i + 1}"));
        await using var command = Command($"INSERT INTO {SqlIdentifier.Quote(table)} ({columns}) VALUES ({placeholders})");
        foreach (var (column, value) in present)
        {
            command.Parameters.Add(Parameter(info, column, value));
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
        return id;
    }

    /// <summary>Runs a statement whose <c>$n</c> placeholders bind to the given (table, column, value) in order.</summary>
    public async Task<int> ExecuteAsync(string sql, CancellationToken cancellationToken, params (string Table, string Column, object? Value)[] parameters)
    {
        await using var command = Prepare(sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Reads the first row's columns, or null when there is none.</summary>
    public async Task<object?[]?> FirstRowAsync(string sql, CancellationToken cancellationToken, params (string Table, string Column, object? Value)[] parameters)
    {
        await using var command = Prepare(sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        var values = new object?[reader.FieldCount];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
        }

        return values;
    }

    public async ValueTask DisposeAsync()
    {
        await _transaction.DisposeAsync();
        await _connection.DisposeAsync();
    }

    private NpgsqlCommand Prepare(string sql, (string Table, string Column, object? Value)[] parameters)
    {
        var command = Command(sql);
        foreach (var (table, column, value) in parameters)
        {
            command.Parameters.Add(Parameter(Table(table), column, value));
        }

        return command;
    }

    [SuppressMessage("Security", "CA2100", Justification = "Identifiers come from the inspected schema and constants; every value is a parameter.")]
    private NpgsqlCommand Command(string sql) => new(sql, _connection, _transaction);

    private static NpgsqlParameter Parameter(TableInfo table, string column, object? value)
    {
        var type = table.Column(column)?.DataType ?? throw new InvalidOperationException($"{table.Name}.{column} does not exist in this schema.");
        return (type, value) switch
        {
            (_, null) => new NpgsqlParameter { Value = DBNull.Value },
            ("uuid", Guid guid) => new NpgsqlParameter { Value = guid, NpgsqlDbType = NpgsqlDbType.Uuid },
            ("uuid", string text) => new NpgsqlParameter { Value = Guid.Parse(text), NpgsqlDbType = NpgsqlDbType.Uuid },
            (_, Guid guid) => new NpgsqlParameter { Value = guid.ToString(), NpgsqlDbType = NpgsqlDbType.Text },
            ("jsonb", string json) => new NpgsqlParameter { Value = json, NpgsqlDbType = NpgsqlDbType.Jsonb },
            ("json", string json) => new NpgsqlParameter { Value = json, NpgsqlDbType = NpgsqlDbType.Json },
            (_, DateTimeOffset time) => new NpgsqlParameter { Value = time.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz },
            (_, string text) => new NpgsqlParameter { Value = text, NpgsqlDbType = NpgsqlDbType.Text },
            (_, bool flag) => new NpgsqlParameter { Value = flag, NpgsqlDbType = NpgsqlDbType.Boolean },
            (_, int number) => new NpgsqlParameter { Value = (long)number, NpgsqlDbType = NpgsqlDbType.Bigint },
            (_, long number) => new NpgsqlParameter { Value = number, NpgsqlDbType = NpgsqlDbType.Bigint },
            _ => new NpgsqlParameter { Value = value },
        };
    }

}
