using System.Text.RegularExpressions;
using DbIntegrity.Core.Migrating;
using DbIntegrity.Core.Rules;
using DbIntegrity.Simulator.Reproduction;

namespace DbIntegrity.Core.Tests.Simulator;

public sealed partial class ScenarioCatalogTests
{
    private static IEnumerable<IReproductionScenario> Scenarios => ScenarioCatalog.All;

    [Test]
    public void Scenario_names_are_the_documented_ones_in_order()
    {
        Assert.That(ScenarioCatalog.All.Select(s => s.Name),
            Is.EqualTo(new[] { "healthy", "seed-incident", "missing-installed-object", "duplicate-rows", "storage-migration" }));
    }

    [TestCaseSource(nameof(Scenarios))]
    public void A_scenario_expects_only_error_and_warning_findings_of_known_rules(IReproductionScenario scenario)
    {
        var severities = RuleCatalog.Descriptors.ToDictionary(d => d.Id, d => d.Severity);
        Assert.Multiple(() =>
        {
            foreach (var (rule, count) in scenario.ExpectedFindings)
            {
                Assert.That(severities.ContainsKey(rule), Is.True, $"{scenario.Name}: unknown rule {rule}");
                Assert.That(severities.GetValueOrDefault(rule), Is.AnyOf(Severity.Error, Severity.Warning), $"{scenario.Name}: {rule} is info, which scenarios do not promise");
                Assert.That(count, Is.Positive, $"{scenario.Name}: {rule}");
            }
        });
    }

    [TestCaseSource(nameof(Scenarios))]
    public void A_scenario_describes_itself_and_names_a_valid_schema_target(IReproductionScenario scenario)
    {
        Assert.Multiple(() =>
        {
            Assert.That(scenario.Name, Does.Match(KebabCase()));
            Assert.That(scenario.Summary, Is.Not.Empty);
            Assert.That(scenario.Story, Is.Not.Empty);
            Assert.That(scenario.DaemonSymptoms, Is.Not.Empty);
            Assert.That(() => MigrationCatalog.Default.ResolveTarget(scenario.SchemaTarget, MigrationDirection.Up), Throws.Nothing);
        });
    }

    [Test]
    public void Only_duplicate_rows_stops_before_the_0_5_4_unique_index()
    {
        // dify#38276: duplicate plugins rows cannot exist once idx_plugin_unique_identifier is UNIQUE (0.5.4).
        Assert.That(ScenarioCatalog.All.Where(s => s.SchemaTarget != "latest").Select(s => (s.Name, s.SchemaTarget)),
            Is.EqualTo(new[] { ("duplicate-rows", "0.5.2") }));
    }

    [Test]
    public void An_unknown_scenario_is_a_configuration_error_that_lists_the_names()
    {
        var error = Assert.Throws<ConfigurationException>(() => ScenarioCatalog.Find("seed-incidnet"));
        Assert.That(error!.Message, Does.Contain("seed-incidnet").And.Contain("seed-incident").And.Contain("--list"));
    }

    [Test]
    public void The_mangling_replaces_every_colon_as_in_dify_22741()
    {
        Assert.That(StorageMigrationScenario.Mangle("plugin/langgenius/email:0.0.7@abc"), Is.EqualTo("plugin/langgenius/email_0.0.7@abc"));
    }

    [GeneratedRegex(@"\A[a-z]+(-[a-z]+)*\z")]
    private static partial Regex KebabCase();
}
