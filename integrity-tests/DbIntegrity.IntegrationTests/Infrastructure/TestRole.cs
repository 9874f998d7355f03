using DbIntegrity.Core.Configuration;
using Npgsql;

namespace DbIntegrity.IntegrationTests.Infrastructure;

/// <summary>
/// A uniquely named login role on the test server with exactly the grants a test gives it, for least-privilege tests.
/// Roles are server-wide, so the role's privileges in the test's database are dropped with it.
/// </summary>
public sealed class TestRole : IAsyncDisposable
{
    private readonly TestDatabase _database;

    private TestRole(TestDatabase database, string name, string password)
    {
        _database = database;
        Name = name;
        Settings = database.Settings.WithCredentials(name, password);
    }

    public string Name { get; }

    /// <summary>The test database, connected as this role.</summary>
    public DatabaseSettings Settings { get; }

    /// <summary>A connection string for <c>--db</c>.</summary>
    public string ConnectionString => Settings.ConnectionString;

    /// <summary>Creates the role and runs <paramref name="grants"/> (use {role} for its name) in the test database.</summary>
    public static async Task<TestRole> CreateAsync(TestDatabase database, params string[] grants)
    {
        ArgumentNullException.ThrowIfNull(database);
        var name = "dbi_role_" + Guid.NewGuid().ToString("N")[..10];
        var password = "pw-" + Guid.NewGuid().ToString("N");
        await database.ExecuteAsync($"CREATE ROLE {name} LOGIN PASSWORD '{password}'");
        foreach (var grant in grants)
        {
            await database.ExecuteAsync(grant.Replace("{role}", name, StringComparison.Ordinal).Replace("{database}", $"\"{database.Name}\"", StringComparison.Ordinal));
        }

        return new TestRole(database, name, password);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await _database.ExecuteAsync($"DROP OWNED BY {Name}; DROP ROLE {Name}");
    }
}
