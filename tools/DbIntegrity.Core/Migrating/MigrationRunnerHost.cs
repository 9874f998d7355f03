using System.Data;
using DbIntegrity.Core.Configuration;
using FluentMigrator.Infrastructure;
using FluentMigrator.Runner;
using FluentMigrator.Runner.Conventions;
using FluentMigrator.Runner.Initialization;
using FluentMigrator.Runner.Processors;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace DbIntegrity.Core.Migrating;

/// <summary>
/// The one place that builds a FluentMigrator runner. Everything that runs or previews migrations goes through it, so
/// the connection, the transaction and the SQL are reachable in one spot:
/// <list type="bullet">
/// <item><see cref="BeginTransaction"/> opens the single transaction a whole run happens in (PostgreSQL DDL is
/// transactional); <see cref="Connection"/> and <see cref="Transaction"/> are the runner's own, so extra statements
/// (a lock, a consistency check) can run inside that same transaction before it commits.</item>
/// <item><see cref="Sql"/> collects every statement the processor logs; in preview mode nothing is executed.</item>
/// </list>
/// FluentMigrator 8.0.1 caveat: <c>MigrateUp</c> starts with <c>ValidateConnection</c>, which calls
/// <c>BeginTransaction</c> (a no-op when one is open) and then <c>RollbackTransaction</c>, so it would roll back an outer
/// transaction. Runs therefore call <see cref="MigrationRunner.ApplyMigrationUp"/>/<see cref="MigrationRunner.ApplyMigrationDown"/>
/// migration by migration instead.
/// </summary>
internal sealed class MigrationRunnerHost : IDisposable
{
    private readonly ServiceProvider _services;
    private readonly IServiceScope _scope;

    private MigrationRunnerHost(ServiceProvider services, SqlCapture sql)
    {
        _services = services;
        _scope = services.CreateScope();
        Runner = (MigrationRunner)_scope.ServiceProvider.GetRequiredService<IMigrationRunner>();
        Sql = sql;
    }

    public MigrationRunner Runner { get; }

    public SqlCapture Sql { get; }

    /// <summary>The runner's connection, opened on first use.</summary>
    public IDbConnection Connection => Processor.Connection;

    /// <summary>The open transaction of <see cref="BeginTransaction"/>, if any.</summary>
    public IDbTransaction? Transaction => Processor.Transaction;

    /// <summary>The runner's connection as Npgsql's type, for async statements (a scan, preconditions) inside the run's transaction.</summary>
    public NpgsqlConnection NpgsqlConnection => (NpgsqlConnection)Connection;

    /// <summary>The run's transaction as Npgsql's type; only valid after <see cref="BeginTransaction"/>.</summary>
    public NpgsqlTransaction NpgsqlTransaction =>
        Transaction as NpgsqlTransaction ?? throw new InvalidOperationException("No transaction is open: call BeginTransaction first.");

    /// <summary>The loaded migrations by id, with their instances.</summary>
    public IReadOnlyDictionary<long, IMigrationInfo> Migrations => Runner.MigrationLoader.LoadMigrations();

    private GenericProcessorBase Processor => (GenericProcessorBase)Runner.Processor;

    /// <param name="settings">The database; its password reaches only the driver.</param>
    /// <param name="schemaName">The schema the daemon's tables are in (the connection's current schema).</param>
    /// <param name="preview">Log the SQL without executing it.</param>
    /// <param name="catalog">The migrations the runner knows: exactly the catalog's types.</param>
    public static MigrationRunnerHost Create(DatabaseSettings settings, string schemaName, bool preview, MigrationCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(catalog);
        var sql = new SqlCapture();
        var services = new ServiceCollection()
            // Fluent expressions without InSchema go to the same schema as the raw SQL ones (the search path's first).
            .AddSingleton<IConventionSet>(new DefaultConventionSet(schemaName, workingDirectory: null))
            // The catalog's types, not an assembly scan: tests run the shipped chain plus (or with one replaced by) their own.
            .AddSingleton<IMigrationSourceItem>(new CatalogSource(catalog))
            .AddFluentMigratorCore()
            .ConfigureRunner(runner => runner
                .AddPostgres()
                .WithGlobalConnectionString(settings.ConnectionString)
                .WithVersionTable(new VersionTable(schemaName))
                .AsGlobalPreview(preview))
            .AddLogging(logging => logging.ClearProviders().AddProvider(sql).SetMinimumLevel(LogLevel.Information))
            .BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
        return new MigrationRunnerHost(services, sql);
    }

    /// <summary>Opens the run's transaction; dispose without <c>Complete()</c> to roll it back.</summary>
    public IMigrationScope BeginTransaction() => Runner.BeginScope();

    /// <summary>Runs one statement inside the runner's transaction, e.g. a lock.</summary>
    public void Execute(string sql)
    {
        using var command = Connection.CreateCommand();
        command.Transaction = Transaction;
#pragma warning disable CA2100 // Callers pass constant SQL.
        command.CommandText = sql;
#pragma warning restore CA2100
        command.ExecuteNonQuery();
    }

    /// <summary>Runs one statement with parameters inside the runner's transaction.</summary>
    public async Task ExecuteAsync(string sql, IReadOnlyList<object?> parameters, CancellationToken cancellationToken)
    {
#pragma warning disable CA2100 // Callers pass constant SQL; values travel as parameters.
        await using var command = new NpgsqlCommand(sql, NpgsqlConnection, NpgsqlTransaction);
#pragma warning restore CA2100
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter ?? DBNull.Value });
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public void Dispose()
    {
        // Disposing the scope disposes the processor, which rolls back an uncommitted transaction and closes the connection.
        _scope.Dispose();
        _services.Dispose();
    }

    private sealed class CatalogSource(MigrationCatalog catalog) : IMigrationSourceItem
    {
        public IEnumerable<Type> MigrationTypeCandidates => catalog.Migrations.Select(m => m.Type);
    }
}
