using DbIntegrity.Core.Migrating;
using DbIntegrity.Simulator.Seeding;

namespace DbIntegrity.IntegrationTests.Suite;

/// <summary>
/// A migration neither hides nor creates breakage: a deployment with faults injected at the oldest schema reports the
/// same error and warning findings after every migration of the chain, on the way up and on the way back down.
/// </summary>
[Category("Integration")]
[Category("Suite")]
[Parallelizable(ParallelScope.Self)]
public sealed class FaultStabilityTests
{
    [Test]
    public async Task A_deployment_with_injected_faults_reports_the_same_findings_after_each_migration_up_and_down()
    {
        // Given a deployment seeded at the first migration with faults of many kinds (duplicates excluded: they block
        // 0.5.1 and 0.5.4 by design, see PreconditionTests).
        var chain = MigrationCatalog.Default.Migrations;
        await using var deployment = await SuiteDeployment.AtAsync(chain[0].Id);
        var seeded = await deployment.SeedHealthyAsync();
        await InjectFaultsAsync(deployment, seeded);
        var baseline = await deployment.ScanAsync();
        var expected = SuiteDeployment.Problems(baseline);
        var rules = baseline.Findings.Where(f => f.Severity >= Core.Rules.Severity.Warning).Select(f => f.Rule).Distinct().ToList();
        Assert.That(rules, Has.Count.GreaterThanOrEqualTo(6), "the faults should break several rules: " + string.Join(", ", rules));

        // When the chain is walked up one migration at a time, then down again, scanning after each step.
        var seen = new List<(string Step, IReadOnlyList<string> Problems)>();
        foreach (var migration in chain.Skip(1))
        {
            await deployment.Migrations.UpAsync(SuiteDeployment.Id(migration.Id), CancellationToken.None);
            seen.Add(($"up {migration.Id}", SuiteDeployment.Problems(await deployment.ScanAsync())));
        }

        for (var i = chain.Count - 2; i >= 0; i--)
        {
            await deployment.Migrations.DownAsync(SuiteDeployment.Id(chain[i].Id), CancellationToken.None);
            seen.Add(($"down to {chain[i].Id}", SuiteDeployment.Problems(await deployment.ScanAsync())));
        }

        // Then every step reports exactly the injected problems.
        Assert.Multiple(() =>
        {
            foreach (var (step, problems) in seen)
            {
                Assert.That(problems, Is.EqualTo(expected), $"after {step}");
            }
        });
    }

    private static async Task InjectFaultsAsync(SuiteDeployment deployment, SeededDeployment seeded)
    {
        var store = deployment.Bucket.Store;
        var google = seeded.Installation(HealthyDeployment.Tenant(0), HealthyDeployment.Plugins.Google);
        var agent = seeded.Installation(HealthyDeployment.Tenant(0), HealthyDeployment.Plugins.Agent);
        var openAi = seeded.Installation(HealthyDeployment.Tenant(1), HealthyDeployment.Plugins.OpenAi);
        var webhook = seeded.Installation(HealthyDeployment.Tenant(2), HealthyDeployment.Plugins.Webhook);
        var slack = seeded.Installation(HealthyDeployment.Tenant(1), HealthyDeployment.Plugins.SlackBot);
        var googleT1 = seeded.Installation(HealthyDeployment.Tenant(1), HealthyDeployment.Plugins.Google);

        // Objects: an installed marker and a package gone, a folder marker under plugin/, an icon gone.
        await store.DeleteAsync(google.InstalledKey!, CancellationToken.None);
        await store.DeleteAsync(agent.PackageKey!, CancellationToken.None);
        await store.PutAsync("plugin/langgenius/", ReadOnlyMemory<byte>.Empty, CancellationToken.None);
        var icon = seeded.Upload(HealthyDeployment.Plugins.SlackBot, slack.Identifier.Version).AssetKeys[0];
        await store.DeleteAsync(icon, CancellationToken.None);

        // Rows: a declaration gone, a refers count wrong, a category row gone, an installation whose plugins row is gone.
        await deployment.Database.ExecuteAsync($"DELETE FROM plugin_declarations WHERE plugin_unique_identifier = '{openAi.Identifier.Value}'");
        await deployment.Database.ExecuteAsync($"UPDATE plugins SET refers = refers + 5 WHERE id = '{webhook.PluginRowId}'");
        await deployment.Database.ExecuteAsync($"DELETE FROM {googleT1.CategoryRow!.Table} WHERE id = '{googleT1.CategoryRow.Id}'");
        await deployment.Database.ExecuteAsync(
            "INSERT INTO plugin_installations (id, created_at, updated_at, tenant_id, plugin_id, plugin_unique_identifier, runtime_type, source, meta) VALUES "
            + $"(gen_random_uuid(), now() - interval '1 day', now() - interval '1 day', '{HealthyDeployment.Tenant(3)}', 'acme/ghost', "
            + $"'acme/ghost:1.0.0@{new string('c', 64)}', 'local', 'marketplace', '{{}}')");
    }
}
