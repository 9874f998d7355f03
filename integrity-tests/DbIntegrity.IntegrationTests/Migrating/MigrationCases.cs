using DbIntegrity.Core.Configuration;
using DbIntegrity.Core.Migrating;
using DbIntegrity.IntegrationTests.Infrastructure;

namespace DbIntegrity.IntegrationTests.Migrating;

/// <summary>Test cases drawn from the catalog, so that a new migration is tested without editing a test.</summary>
internal static class MigrationCases
{
    public static IEnumerable<TestCaseData> DaemonVersions() =>
        MigrationCatalog.Default.DaemonVersions.Select(v => new TestCaseData(v.ToString()).SetArgDisplayNames(v.ToString()));

    /// <summary>Each migration with the one before it (0 for the first).</summary>
    public static IEnumerable<TestCaseData> Steps() =>
        MigrationCatalog.Default.Migrations.Select((m, i) =>
            new TestCaseData(m.Id, i == 0 ? 0L : MigrationCatalog.Default.Migrations[i - 1].Id).SetArgDisplayNames($"{m.Id} {m.Type.Name}"));

    public static async Task<MigrationService> ServiceAsync(TestDatabase database) =>
        await MigrationService.CreateAsync(database.Settings, CancellationToken.None);

    public static async Task<DbIntegrity.Core.Database.DatabaseSchema> InspectAsync(TestDatabase database)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync();
        return await DbIntegrity.Core.Database.SchemaInspector.InspectAsync(connection, CancellationToken.None);
    }

    public static async Task RunFixtureAsync(TestDatabase database, string name)
    {
        await using var stream = typeof(MigrationCases).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"No embedded fixture {name}.");
        using var reader = new StreamReader(stream);
        await database.ExecuteAsync(await reader.ReadToEndAsync());
    }

    public static SettingsSource Environment(TestDatabase database) => TestServices.Environment.With(database.Variables);
}
