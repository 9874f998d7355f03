using DbIntegrity.Core.Rules;
using DbIntegrity.IntegrationTests.Infrastructure;
using static DbIntegrity.Simulator.Seeding.HealthyDeployment;

namespace DbIntegrity.IntegrationTests.Checking;

/// <summary>
/// identifier-invalid checks each distinct value once and then reads only the rows holding the values that failed: every
/// such row must still be reported, whichever table holds it, NULL included, and however many values fail.
/// </summary>
[Category("Integration")]
[Parallelizable(ParallelScope.All)]
public sealed class IdentifierInvalidTests
{
    private static readonly string Sha = new('e', 64);

    [Test]
    public async Task Every_row_holding_a_rejected_value_is_reported_whichever_table_holds_it()
    {
        await using var d = await DeploymentUnderTest.CreateAsync(store: TestStoreKind.Local);
        var google = d.Deployment.Installation(Tenant(2), Plugins.Google);
        var rejected = $"langgenius/Google:0.0.9@{Sha}";
        await d.Database.ExecuteAsync($"UPDATE {google.CategoryRow!.Table} SET plugin_unique_identifier = '{rejected}' WHERE id = '{google.CategoryRow.Id}'");
        var sameValue = Guid.NewGuid().ToString();
        var nullValue = Guid.NewGuid().ToString();
        await d.Database.ExecuteAsync(
            $"INSERT INTO serverless_runtimes (id, plugin_unique_identifier, type, declaration) VALUES ('{sameValue}', '{rejected}', 'serverless', '{{}}'), ('{nullValue}', NULL, 'serverless', '{{}}')");

        var report = await d.ScanAsync();

        var rows = report.Findings.Where(f => f.Rule == "identifier-invalid").Select(f => (f.Table, f.RowId, f.Identifier));
        Assert.That(rows, Is.EquivalentTo(new (string?, string?, string?)[]
        {
            (google.CategoryRow.Table, google.CategoryRow.Id.ToString(), rejected),
            ("serverless_runtimes", sameValue, rejected),
            ("serverless_runtimes", nullValue, null),
        }));
    }

    [Test]
    public async Task More_rejected_values_than_the_rule_remembers_are_all_reported()
    {
        await using var d = await DeploymentUnderTest.CreateAsync(store: TestStoreKind.Local);
        const int count = IdentifierInvalidRule.DistinctInvalidLimit + 5;
        await d.Database.ExecuteAsync(
            $"INSERT INTO serverless_runtimes (id, plugin_unique_identifier, type, declaration) SELECT gen_random_uuid(), 'not an identifier ' || n, 'serverless', '{{}}' FROM generate_series(1, {count}) AS n");

        var report = await d.ScanAsync();

        Assert.That(DeploymentUnderTest.Problems(report), Is.EquivalentTo(new Dictionary<string, int> { ["identifier-invalid"] = count }));
        Assert.That(report.Findings.Where(f => f.Rule == "identifier-invalid").Select(f => f.Identifier).Distinct().Count(), Is.EqualTo(count));
    }
}
