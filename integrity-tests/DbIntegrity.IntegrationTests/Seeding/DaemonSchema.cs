using DbIntegrity.IntegrationTests.Infrastructure;

namespace DbIntegrity.IntegrationTests.Seeding;

/// <summary>
/// Creates the daemon's tables in a test database from a SQL fixture shaped like a daemon version's schema
/// (Schemas/*.sql). Stands in for the FluentMigrator migrations until they reach main.
/// </summary>
internal static class DaemonSchema
{
    public const string Current = "0.5.4";
    public const string Oldest = "0.0.1";

    public static async Task CreateAsync(TestDatabase database, string version, CancellationToken cancellationToken = default)
    {
        var path = Path.Combine(TestContext.CurrentContext.TestDirectory, "Seeding", "Schemas", $"daemon-{version}.sql");
        await database.ExecuteAsync(await File.ReadAllTextAsync(path, cancellationToken), cancellationToken);
    }
}
