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
    public async Task A_case_insensitive_column_collation_does_not_fold_a_rejected_value_into_a_valid_one()
    {
        await using var d = await DeploymentUnderTest.CreateAsync(store: TestStoreKind.Local);
        var rejected = CapitalG(d);
        await CaseInsensitiveAsync(d, "serverless_runtimes", "plugin_unique_identifier");
        var row = Guid.NewGuid().ToString();
        await d.Database.ExecuteAsync($"INSERT INTO serverless_runtimes (id, plugin_unique_identifier, type, declaration) VALUES ('{row}', '{rejected}', 'serverless', '{{}}')");

        var report = await d.ScanAsync();

        Assert.That(report.IncompleteReason, Is.Null);
        Assert.That(report.Findings.Where(f => f.Rule == "identifier-invalid").Select(f => (f.Table, f.RowId)), Is.EqualTo(new (string?, string?)[] { ("serverless_runtimes", row) }));
    }

    [Test]
    public async Task A_case_insensitive_collation_on_installations_reads_each_spelling_as_its_own_identifier()
    {
        // Two spellings of one identifier that the column's collation calls equal: the digest must not group them, and
        // a batch that asks for one must not read the other. Each installation is compared with its own spelling's rows.
        await using var d = await DeploymentUnderTest.CreateAsync(store: TestStoreKind.Local);
        var google = d.Deployment.Installation(Tenant(2), Plugins.Google);
        var spelling = CapitalG(d);
        var other = Guid.NewGuid();
        await CaseInsensitiveAsync(d, "plugin_installations", "plugin_unique_identifier");
        await d.Database.ExecuteAsync($"""
            INSERT INTO plugin_installations (id, tenant_id, plugin_id, plugin_unique_identifier, runtime_type, endpoints_setups, endpoints_active, source, meta, created_at, updated_at)
            SELECT '{other}', gen_random_uuid(), plugin_id, '{spelling}', runtime_type, endpoints_setups, endpoints_active, source, meta, created_at, updated_at
            FROM plugin_installations WHERE id = '{google.InstallationId}'
            """);

        var report = await d.ScanAsync();

        Assert.That(report.IncompleteReason, Is.Null);
        var rules = report.Findings.Where(f => f.Table == "plugin_installations").Select(f => (f.RowId, f.Rule)).ToList();
        Assert.That(rules, Does.Contain((other.ToString(), "identifier-invalid")));
        Assert.That(rules, Does.Contain((other.ToString(), "installation-plugin-missing")));
        Assert.That(rules.Where(r => r.RowId == google.InstallationId.ToString()), Is.Empty);
    }

    [Test]
    public async Task Case_insensitive_identifier_columns_everywhere_still_give_a_complete_scan_that_names_the_fault()
    {
        // Every plugin_unique_identifier and plugin_id column in a nondeterministic collation: no query may refuse it
        // (split_part, LIKE and comparisons across two collations do), and a consistent deployment stays consistent.
        await using var d = await DeploymentUnderTest.CreateAsync(store: TestStoreKind.Local);
        await d.Database.ExecuteAsync(CreateCollation);
        await d.Database.ExecuteAsync("""
            DO $$
            DECLARE c record;
            BEGIN
                FOR c IN SELECT table_name, column_name, character_maximum_length FROM information_schema.columns
                         WHERE table_schema = current_schema() AND column_name IN ('plugin_unique_identifier', 'plugin_id') AND data_type = 'character varying'
                LOOP
                    EXECUTE format('ALTER TABLE %I ALTER COLUMN %I TYPE varchar(%s) COLLATE case_insensitive', c.table_name, c.column_name, c.character_maximum_length);
                END LOOP;
            END $$
            """);
        var folded = await d.Database.ScalarAsync<long>("SELECT count(*) FROM information_schema.columns WHERE table_schema = current_schema() AND collation_name = 'case_insensitive'");

        var consistent = await d.ScanAsync();
        var google = d.Deployment.Installation(Tenant(2), Plugins.Google);
        await d.Database.ExecuteAsync($"DELETE FROM plugins WHERE id = '{google.PluginRowId}'");
        var broken = await d.ScanAsync();

        Assert.That(folded, Is.GreaterThanOrEqualTo(10));
        Assert.That(consistent.IncompleteReason, Is.Null);
        Assert.That(DeploymentUnderTest.Problems(consistent), Is.Empty);
        Assert.That(broken.IncompleteReason, Is.Null);
        Assert.That(broken.Findings.Where(f => f.Rule == "installation-plugin-missing").Select(f => f.RowId), Does.Contain(google.InstallationId.ToString()));
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

    private const string CreateCollation = "CREATE COLLATION case_insensitive (provider = icu, locale = 'und-u-ks-level2', deterministic = false)";

    // The Google plugin's identifier with a capital G: a spelling the daemon's regex rejects that a case-insensitive
    // collation calls equal to the installed one.
    private static string CapitalG(DeploymentUnderTest d)
    {
        var google = d.Deployment.Installation(Tenant(2), Plugins.Google).Identifier.Value;
        var spelling = google.Replace("langgenius/google", "langgenius/Google", StringComparison.Ordinal);
        Assert.That(spelling, Is.Not.EqualTo(google));
        return spelling;
    }

    private static async Task CaseInsensitiveAsync(DeploymentUnderTest d, string table, string column)
    {
        await d.Database.ExecuteAsync(CreateCollation);
        await d.Database.ExecuteAsync($"ALTER TABLE {table} ALTER COLUMN {column} TYPE varchar(255) COLLATE case_insensitive");
    }
}
