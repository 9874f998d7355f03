using DbIntegrity.Core.Migrating;

namespace DbIntegrity.IntegrationTests.Suite;

/// <summary>Suite cases drawn from the chain, so a new migration or precondition is covered without editing a test.</summary>
internal static class SuiteCases
{
    /// <summary>Each migration with the one before it (0 for the first).</summary>
    public static IEnumerable<TestCaseData> Steps()
    {
        var migrations = MigrationCatalog.Default.Migrations;
        return migrations.Select((m, i) => new TestCaseData(m.Id, i == 0 ? 0L : migrations[i - 1].Id).SetArgDisplayNames($"{m.Id} {m.Type.Name}"));
    }

    /// <summary>Each precondition of the chain with its migration.</summary>
    public static IEnumerable<TestCaseData> Preconditions() =>
        MigrationCatalog.Default.Migrations.SelectMany(m => m.Preconditions.Select(p => new TestCaseData(m.Id, p.Id).SetArgDisplayNames($"{m.Id} {p.Id}")));

    /// <summary>The migration before <paramref name="id"/> in the chain (0 for the first).</summary>
    public static long Previous(long id)
    {
        var migrations = MigrationCatalog.Default.Migrations;
        var index = migrations.ToList().FindIndex(m => m.Id == id);
        return index <= 0 ? 0 : migrations[index - 1].Id;
    }
}
