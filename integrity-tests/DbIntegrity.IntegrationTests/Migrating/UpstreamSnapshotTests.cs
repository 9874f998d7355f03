using DbIntegrity.Core.Migrating;
using DbIntegrity.IntegrationTests.Infrastructure;

namespace DbIntegrity.IntegrationTests.Migrating;

/// <summary>
/// For every daemon release of the chain: the database the migrations build equals the schema written down from the
/// reference in <see cref="UpstreamSchemas"/>: tables, columns in order with type, nullability and default, and every
/// index with its name, kind and columns.
/// </summary>
[Category("Integration")]
[Parallelizable(ParallelScope.Children)]
public sealed class UpstreamSnapshotTests
{
    [TestCaseSource(typeof(MigrationCases), nameof(MigrationCases.DaemonVersions))]
    public async Task Migrating_an_empty_database_to_a_release_gives_exactly_that_release_schema(string version)
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var service = await MigrationCases.ServiceAsync(database);

        await service.UpAsync(version, CancellationToken.None);

        var schema = await MigrationCases.InspectAsync(database);
        var expected = UpstreamSchemas.For(DaemonVersion.Parse(version));
        Assert.That(SchemaSnapshot.Of(schema), Is.EqualTo(SchemaSnapshot.Of(expected)));
        Assert.That(schema.Tables.Keys.Where(t => !SchemaSnapshot.IsDaemonTable(t)), Is.EquivalentTo(new[] { "dbintegrity_migration_checksums", "dbintegrity_version_info" }));
    }

    [Test]
    public async Task The_latest_chain_adds_only_the_operator_tables_to_the_newest_release_schema()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var service = await MigrationCases.ServiceAsync(database);

        await service.UpAsync("latest", CancellationToken.None);

        var schema = await MigrationCases.InspectAsync(database);
        Assert.That(SchemaSnapshot.Of(schema), Is.EqualTo(SchemaSnapshot.Of(UpstreamSchemas.All[^1])));
        Assert.That(schema.Tables.Keys.Where(t => !SchemaSnapshot.IsDaemonTable(t)).Order(), Is.EqualTo(new[] { "dbintegrity_check_runs", "dbintegrity_migration_checksums", "dbintegrity_version_info" }));
    }
}
