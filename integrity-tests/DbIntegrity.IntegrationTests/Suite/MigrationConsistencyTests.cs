using DbIntegrity.Core.Configuration;
using DbIntegrity.Core.Gate;
using DbIntegrity.Core.Migrating;
using DbIntegrity.Core.Reporting;
using DbIntegrity.Core.Rules;
using DbIntegrity.Core.Scanning;

namespace DbIntegrity.IntegrationTests.Suite;

/// <summary>
/// The integrity suite, one case per migration of the chain: a realistic deployment seeded for the schema before it is
/// consistent; the migration goes up through <c>migrate up --gate</c> and leaves it consistent with no row lost; its
/// rollback leaves it consistent with every row as it was.
/// </summary>
[Category("Integration")]
[Category("Suite")]
[Parallelizable(ParallelScope.Children)]
public sealed class MigrationConsistencyTests
{
    [TestCaseSource(typeof(SuiteCases), nameof(SuiteCases.Steps))]
    public async Task A_seeded_deployment_stays_consistent_and_keeps_its_rows_through_the_migration_and_its_rollback(long id, long previous)
    {
        // Given a database at the migration before, holding a realistic deployment (none before the first migration), consistent.
        await using var deployment = await SuiteDeployment.AtAsync(previous);
        var shape = await deployment.SchemaAsync();
        var seeded = shape.HasTable("plugins");
        ScanReport? before = null;
        if (seeded)
        {
            await deployment.SeedHealthyAsync();
            before = await deployment.ScanAsync();
            Assert.That(before.Status, Is.EqualTo(ScanStatus.Consistent), Describe("before", before));
        }

        var rowsBefore = await deployment.RowsAsync(shape);

        // When the migration goes up through the gate.
        GateReport gated;
        await using (var gate = await GateService.CreateAsync(deployment.Database.Settings, deployment.Bucket.Store, StorageLayout.Default, MigrationCatalog.Default, CancellationToken.None))
        {
            gated = await gate.MigrateAsync(
                new GateOptions { Target = SuiteDeployment.Id(id), Scan = new ScanOptions { Grace = TimeSpan.Zero } }, progress: null, CancellationToken.None);
        }

        var afterUp = await deployment.ScanAsync();
        var rowsAfterUp = await deployment.RowsAsync(shape);

        // Then it ran exactly this migration and committed, and the deployment is consistent, its problems unchanged and no row lost.
        Assert.Multiple(() =>
        {
            Assert.That(gated.Verdict, Is.EqualTo(GateVerdict.Pass), string.Join("\n", gated.Blockers.Append(gated.IncompleteReason ?? string.Empty)));
            Assert.That(gated.Run?.Committed, Is.True);
            Assert.That(gated.Run?.Executed.Select(m => m.Id), Is.EqualTo(new[] { id }));
            Assert.That(gated.Run?.Difference?.New, Is.Empty);
            Assert.That(afterUp.Status, Is.EqualTo(ScanStatus.Consistent), Describe("after up", afterUp));
            Assert.That(SuiteDeployment.Problems(afterUp), Is.EqualTo(before is null ? [] : SuiteDeployment.Problems(before)));
            Assert.That(rowsAfterUp, Is.EqualTo(rowsBefore), "a row changed or was lost going up");
        });

        // When it is rolled back.
        var down = await deployment.Migrations.DownAsync(SuiteDeployment.Id(previous), CancellationToken.None);

        // Then the deployment is as consistent as before and every row is as it was.
        Assert.That(down.Executed.Select(m => m.Id), Is.EqualTo(new[] { id }));
        if (!seeded)
        {
            Assert.That((await deployment.SchemaAsync()).HasTable("plugins"), Is.False);
            return;
        }

        var afterDown = await deployment.ScanAsync();
        await Assert.MultipleAsync(async () =>
        {
            Assert.That(afterDown.Status, Is.EqualTo(ScanStatus.Consistent), Describe("after down", afterDown));
            Assert.That(SuiteDeployment.Problems(afterDown), Is.EqualTo(SuiteDeployment.Problems(before!)));
            Assert.That(await deployment.RowsAsync(shape), Is.EqualTo(rowsBefore), "a row changed or was lost going down");
        });
    }

    private static string Describe(string when, ScanReport report) =>
        $"{when}: {report.Status} {report.IncompleteReason}\n" + string.Join("\n", report.Findings.Where(f => f.Severity >= Severity.Warning).Select(f => $"{f.Rule}: {f.Message}"));
}
