using DbIntegrity.Core.Configuration;
using Npgsql;

namespace DbIntegrity.IntegrationTests.Infrastructure;

/// <summary>
/// A uniquely named database on the test server, so tests at different schema versions can run side by side.
/// Dropped on dispose.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private TestDatabase(DatabaseSettings settings, DatabaseSettings server)
    {
        Settings = settings;
        Server = server;
        DataSource = settings.CreateDataSource("dbintegrity-tests");
    }

    public DatabaseSettings Settings { get; }

    public NpgsqlDataSource DataSource { get; }

    public string Name => Settings.Database;

    private DatabaseSettings Server { get; }

    public static async Task<TestDatabase> CreateAsync(CancellationToken cancellationToken = default)
    {
        var server = DatabaseSettings.FromDaemonVariables(TestServices.Environment).WithDatabase("postgres");
        var name = "dbi_test_" + Guid.NewGuid().ToString("N")[..12];
        await using (var admin = server.CreateDataSource("dbintegrity-tests"))
        await using (var command = admin.CreateCommand($"CREATE DATABASE \"{name}\""))
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        return new TestDatabase(server.WithDatabase(name), server);
    }

    /// <summary>A new database migrated to <paramref name="target"/> (a daemon version, a migration id or "latest").</summary>
    public static async Task<TestDatabase> CreateMigratedAsync(string target = "latest", CancellationToken cancellationToken = default)
    {
        var database = await CreateAsync(cancellationToken);
        await using var migrations = await Core.Migrating.MigrationService.CreateAsync(database.Settings, cancellationToken);
        await migrations.UpAsync(target, cancellationToken);
        return database;
    }

    /// <summary>The daemon variables with DB_DATABASE pointing here, for in-process CLI runs.</summary>
    public IReadOnlyDictionary<string, string?> Variables => new Dictionary<string, string?> { ["DB_DATABASE"] = Name };

    public async Task<int> ExecuteAsync(string sql, CancellationToken cancellationToken = default)
    {
        await using var command = DataSource.CreateCommand(sql);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<T?> ScalarAsync<T>(string sql, CancellationToken cancellationToken = default)
    {
        await using var command = DataSource.CreateCommand(sql);
        var value = await command.ExecuteScalarAsync(cancellationToken);
        return value is null or DBNull ? default : (T)value;
    }

    public async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await using var admin = Server.CreateDataSource("dbintegrity-tests");
        await using var command = admin.CreateCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)");
        await command.ExecuteNonQueryAsync();
    }
}
