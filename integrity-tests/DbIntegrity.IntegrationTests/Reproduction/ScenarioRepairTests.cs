using DbIntegrity.Cli;
using DbIntegrity.IntegrationTests.Infrastructure;
using DbIntegrity.Simulator.Reproduction;

namespace DbIntegrity.IntegrationTests.Reproduction;

/// <summary>Every broken scenario is one the tool can get out of: the gate blocks it, the repair fixes it, the gate passes.</summary>
[Category("Integration")]
[Parallelizable(ParallelScope.Children)]
[TestFixtureSource(typeof(TestStores), nameof(TestStores.All))]
public sealed class ScenarioRepairTests(TestStoreKind store)
{
    private static IEnumerable<string> BrokenScenarios => ScenarioCatalog.All.Where(s => s.ExpectedFindings.Count > 0).Select(s => s.Name);

    [TestCaseSource(nameof(BrokenScenarios))]
    public async Task The_gate_blocks_the_scenario_the_repair_fixes_it_and_the_gate_then_passes(string name)
    {
        // Given a reproduced scenario
        await using var database = await TestDatabase.CreateAsync();
        await using var bucket = await TestBucket.CreateUnusedAsync(store);
        var environment = CliRunner.Environment(database, bucket);
        Assert.That((await CliRunner.RunAsync(environment, "reproduce", name)).ExitCode, Is.EqualTo((int)ExitCode.Success));
        var plan = Path.Combine(Path.GetTempPath(), $"dbi-plan-{Guid.NewGuid():N}.json");

        try
        {
            // When the demo's sequence runs (the scenario's objects are seconds old, hence --grace 0)
            var blocked = await CliRunner.RunAsync(environment, "gate", "--grace", "0", "--no-record");
            var planned = await CliRunner.RunAsync(environment, "repair", "plan", "--grace", "0", "-o", plan);
            var applied = await CliRunner.RunAsync(environment, "repair", "apply", plan);
            var passed = await CliRunner.RunAsync(environment, "gate", "--grace", "0", "--no-record", "--format", "json");

            // Then each step exits as documented and nothing serious is left
            Assert.Multiple(() =>
            {
                Assert.That(blocked.ExitCode, Is.EqualTo((int)ExitCode.Findings), blocked.ToString());
                Assert.That(planned.ExitCode, Is.EqualTo((int)ExitCode.Findings), "a plan with fixes exits 1\n" + planned);
                Assert.That(applied.ExitCode, Is.EqualTo((int)ExitCode.Success), applied.ToString());
                Assert.That(passed.ExitCode, Is.EqualTo((int)ExitCode.Success), passed.ToString());
            });
        }
        finally
        {
            File.Delete(plan);
        }
    }

    [Test]
    public async Task After_repairing_duplicate_rows_the_0_5_4_migration_passes_its_gate()
    {
        // Given duplicate-rows (schema 0.5.2), repaired
        await using var database = await TestDatabase.CreateAsync();
        await using var bucket = await TestBucket.CreateUnusedAsync(store);
        var environment = CliRunner.Environment(database, bucket);
        await CliRunner.RunAsync(environment, "reproduce", "duplicate-rows");
        var plan = Path.Combine(Path.GetTempPath(), $"dbi-plan-{Guid.NewGuid():N}.json");
        try
        {
            await CliRunner.RunAsync(environment, "repair", "plan", "--grace", "0", "-o", plan);
            Assert.That((await CliRunner.RunAsync(environment, "repair", "apply", plan)).ExitCode, Is.EqualTo((int)ExitCode.Success));
        }
        finally
        {
            File.Delete(plan);
        }

        // When the database is migrated past 0.5.4 behind the gate
        var migrate = await CliRunner.RunAsync(environment, "migrate", "up", "--gate", "--grace", "0");

        // Then the unique index of 0.5.4 is created (dify#38276 no longer bites)
        Assert.That(migrate.ExitCode, Is.EqualTo((int)ExitCode.Success), migrate.ToString());
        Assert.That(await database.ScalarAsync<bool>(
            "SELECT indisunique FROM pg_index WHERE indexrelid = 'idx_plugin_unique_identifier'::regclass"), Is.True);
    }
}
