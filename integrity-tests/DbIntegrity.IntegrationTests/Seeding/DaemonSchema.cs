using DbIntegrity.Core.Migrating;
using DbIntegrity.IntegrationTests.Infrastructure;

namespace DbIntegrity.IntegrationTests.Seeding;

/// <summary>Migrates a test database to a daemon release's schema with the project's own migration chain.</summary>
internal static class DaemonSchema
{
    public const string Current = "0.5.4";
    public const string Oldest = "0.0.1";

    /// <summary>Every daemon release the migration chain covers, oldest first.</summary>
    public static IEnumerable<string> Versions => MigrationCatalog.Default.DaemonVersions.Select(v => v.ToString());

    public static async Task CreateAsync(TestDatabase database, string version, CancellationToken cancellationToken = default)
    {
        await using var migrations = await MigrationService.CreateAsync(database.Settings, cancellationToken);
        await migrations.UpAsync(version, cancellationToken);
    }
}
