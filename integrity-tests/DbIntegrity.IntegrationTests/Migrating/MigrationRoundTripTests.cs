using DbIntegrity.Core.Database;
using DbIntegrity.Core.Migrating;
using DbIntegrity.IntegrationTests.Infrastructure;

namespace DbIntegrity.IntegrationTests.Migrating;

/// <summary>Every migration goes up, down and up again over a database holding rows, and loses none of them.</summary>
[Category("Integration")]
[Parallelizable(ParallelScope.Children)]
public sealed class MigrationRoundTripTests
{
    [TestCaseSource(typeof(MigrationCases), nameof(MigrationCases.Steps))]
    public async Task A_migration_goes_up_down_and_up_again_keeping_the_rows_and_restoring_the_schema(long id, long previous)
    {
        // Given a database at the previous migration, holding rows.
        await using var database = await TestDatabase.CreateAsync();
        await using var service = await MigrationCases.ServiceAsync(database);
        if (previous != 0)
        {
            await service.UpAsync(previous.ToString(System.Globalization.CultureInfo.InvariantCulture), CancellationToken.None);
            await RowSeeder.SeedAsync(database, await MigrationCases.InspectAsync(database));
        }

        var before = await MigrationCases.InspectAsync(database);
        var rowsBefore = await RowsAsync(database, before);

        // When the migration goes up, down, and up again.
        var target = id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var up = await service.UpAsync(target, CancellationToken.None);
        var afterUp = await MigrationCases.InspectAsync(database);
        var down = await service.DownAsync(previous.ToString(System.Globalization.CultureInfo.InvariantCulture), CancellationToken.None);
        var afterDown = await MigrationCases.InspectAsync(database);
        var rowsAfterDown = await RowsAsync(database, before);
        await service.UpAsync(target, CancellationToken.None);
        var afterUpAgain = await MigrationCases.InspectAsync(database);
        var rowsAfterUpAgain = await RowsAsync(database, before);

        // Then each step did exactly this migration, down restored the previous schema, and no row was lost.
        Assert.Multiple(() =>
        {
            Assert.That(up.Executed.Select(m => m.Id), Is.EqualTo(new[] { id }));
            Assert.That(down.Executed.Select(m => m.Id), Is.EqualTo(new[] { id }));
            Assert.That(SchemaSnapshot.OfMigrated(afterUp), Is.Not.EqualTo(SchemaSnapshot.OfMigrated(before)), "up changed nothing");
            Assert.That(SchemaSnapshot.OfMigrated(afterDown), Is.EqualTo(SchemaSnapshot.OfMigrated(before)), "down did not restore the schema");
            Assert.That(SchemaSnapshot.OfMigrated(afterUpAgain), Is.EqualTo(SchemaSnapshot.OfMigrated(afterUp)), "up again differs from up");
            Assert.That(rowsAfterDown, Is.EqualTo(rowsBefore), "rows changed by down");
            Assert.That(rowsAfterUpAgain, Is.EqualTo(rowsBefore), "rows changed by up again");
        });
    }

    [Test]
    public async Task Migrating_up_release_by_release_with_rows_then_down_to_0_leaves_no_table()
    {
        // Given rows written at every release, legacy declarations left NULL from 0.0.3 on as the daemon does.
        await using var database = await TestDatabase.CreateAsync();
        await using var service = await MigrationCases.ServiceAsync(database);
        foreach (var version in MigrationCatalog.Default.DaemonVersions)
        {
            await service.UpAsync(version.ToString(), CancellationToken.None);
            await RowSeeder.SeedAsync(database, await MigrationCases.InspectAsync(database));
        }

        await service.UpAsync("latest", CancellationToken.None);

        // When everything is reverted.
        var result = await service.DownAsync("0", CancellationToken.None);

        // Then no plugin table is left, nor DbIntegrity's version table.
        Assert.That(result.Executed, Has.Count.EqualTo(MigrationCatalog.Default.Migrations.Count));
        Assert.That((await MigrationCases.InspectAsync(database)).Tables.Keys, Is.Empty);
        Assert.That((await service.StatusAsync(CancellationToken.None)).Versioning, Is.EqualTo(DatabaseVersioning.Empty));
    }

    /// <summary>Every row of every daemon table, restricted to the columns of <paramref name="shape"/>, as JSON.</summary>
    private static async Task<IReadOnlyList<string>> RowsAsync(TestDatabase database, DatabaseSchema shape)
    {
        var rows = new List<string>();
        foreach (var table in shape.Tables.Values.Where(t => SchemaSnapshot.IsDaemonTable(t.Name)).OrderBy(t => t.Name, StringComparer.Ordinal))
        {
            var columns = string.Join(", ", table.Columns.Select(c => $"\"{c.Name}\""));
            await using var command = database.DataSource.CreateCommand(
                $"SELECT '{table.Name} ' || row_to_json(r)::text FROM (SELECT {columns} FROM \"{table.Name}\" ORDER BY id) r");
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                rows.Add(reader.GetString(0));
            }
        }

        return rows;
    }
}
