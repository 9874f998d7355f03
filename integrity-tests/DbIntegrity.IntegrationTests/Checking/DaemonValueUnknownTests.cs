using System.Text.Json;
using DbIntegrity.Cli;
using DbIntegrity.Core.Reporting;
using DbIntegrity.Core.Rules;
using DbIntegrity.IntegrationTests.Infrastructure;
using static DbIntegrity.Simulator.Seeding.HealthyDeployment;

namespace DbIntegrity.IntegrationTests.Checking;

/// <summary>
/// A value outside the daemon's vocabulary in a column rules branch on is never "not my case" (issue 12 item 1): it is
/// a finding, and the rules that branch on the column still see the row.
/// </summary>
[Category("Integration")]
[Parallelizable(ParallelScope.All)]
public sealed class DaemonValueUnknownTests
{
    // One way to put a value into each enum column of DaemonVocabulary; {0} is the value as a SQL literal, {1} the
    // Google identifier. The fixture test below fails when a column is added to the vocabulary without a case here.
    private static readonly Dictionary<string, string> Writers = new(StringComparer.Ordinal)
    {
        ["plugins.install_type"] = "UPDATE plugins SET install_type = {0} WHERE plugin_unique_identifier = '{1}'",
        ["plugin_installations.runtime_type"] = "UPDATE plugin_installations SET runtime_type = {0} WHERE plugin_unique_identifier = '{1}'",
        ["serverless_runtimes.type"] =
            "INSERT INTO serverless_runtimes (id, created_at, updated_at, plugin_unique_identifier, function_url, function_name, type, checksum) "
            + "VALUES (gen_random_uuid(), now() - interval '1 day', now() - interval '1 day', '{1}', 'https://lambda.example', 'f', {0}, 'c')",
        ["install_tasks.status"] =
            "INSERT INTO install_tasks (id, created_at, updated_at, status, tenant_id, total_plugins, completed_plugins, plugins) "
            + "VALUES (gen_random_uuid(), now() - interval '1 day', now() - interval '1 day', {0}, gen_random_uuid(), 1, 0, '[]')",
    };

    private static readonly string?[] Unknown = ["weird", "", null, "LOCAL"];

    private static IEnumerable<TestCaseData> EveryColumnWithEveryUnknownValue() =>
        from column in DaemonVocabulary.Columns
        from value in Unknown
        where value is not null || column.Column != "status" // install_tasks.status is NOT NULL in every schema
        select new TestCaseData($"{column.Table}.{column.Column}", value).SetArgDisplayNames($"{column.Table}.{column.Column}", value ?? "NULL");

    [Test]
    public void Every_enum_column_of_the_vocabulary_has_a_writer_here() =>
        Assert.That(Writers.Keys, Is.EquivalentTo(DaemonVocabulary.Columns.Select(c => $"{c.Table}.{c.Column}")));

    [TestCaseSource(nameof(EveryColumnWithEveryUnknownValue))]
    public async Task An_unknown_value_in_an_enum_column_is_an_error_finding(string column, string? value)
    {
        await using var d = await DeploymentUnderTest.CreateAsync();
        var google = d.Deployment.Installation(Tenant(1), Plugins.Google);
        await d.Database.ExecuteAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, Writers[column], Literal(value), google.Identifier.Value));

        var report = await d.ScanAsync();

        Assert.That(report.Status, Is.EqualTo(ScanStatus.Inconsistent));
        var findings = report.Findings.Where(f => f.Rule == "daemon-value-unknown").ToList();
        Assert.That(findings, Is.Not.Empty);
        Assert.That(findings.Select(f => f.Table), Is.All.EqualTo(column.Split('.')[0]));
        Assert.That(findings[0].Message, Does.Contain(value is null ? "is NULL" : $"is '{value}'").And.Contain(".go"));
    }

    [TestCase("weird")]
    [TestCase("")]
    [TestCase(null)]
    [TestCase("LOCAL")]
    public async Task A_plugin_of_unknown_install_type_without_its_marker_is_not_consistent(string? installType)
    {
        // The case: refers 1, an installation, a declaration and a package, but no plugin/<P>.
        await using var d = await DeploymentUnderTest.CreateAsync();
        var google = d.Deployment.Installation(Tenant(1), Plugins.Google);
        await d.Database.ExecuteAsync($"UPDATE plugins SET install_type = {Literal(installType)} WHERE id = '{google.PluginRowId}'");
        await d.Bucket.Store.DeleteAsync(google.InstalledKey!, CancellationToken.None);

        var report = await d.ScanAsync();

        Assert.That(report.Status, Is.EqualTo(ScanStatus.Inconsistent));
        Assert.That(DeploymentUnderTest.Problems(report), Is.EquivalentTo(new Dictionary<string, int>
        {
            ["daemon-value-unknown"] = 1,
            ["plugin-installed-object-missing"] = 1,
        }));
    }

    [TestCase("weird")]
    [TestCase(null)]
    public async Task A_plugin_of_unknown_install_type_without_its_package_is_plugin_package_missing(string? installType)
    {
        await using var d = await DeploymentUnderTest.CreateAsync();
        var google = d.Deployment.Installation(Tenant(1), Plugins.Google);
        await d.Database.ExecuteAsync($"UPDATE plugins SET install_type = {Literal(installType)} WHERE id = '{google.PluginRowId}'");
        await d.Bucket.Store.DeleteAsync(google.PackageKey!, CancellationToken.None);

        var report = await d.ScanAsync();

        Assert.That(report.Findings.Select(f => f.Rule), Does.Contain("plugin-package-missing").And.Contain("daemon-value-unknown"));
    }

    [TestCase("weird")]
    [TestCase("REMOTE")]
    [TestCase(null)]
    public async Task An_installation_of_unknown_runtime_type_without_a_declaration_is_installation_declaration_missing(string? runtimeType)
    {
        await using var d = await DeploymentUnderTest.CreateAsync();
        var google = d.Deployment.Installation(Tenant(1), Plugins.Google);
        await d.Database.ExecuteAsync($"UPDATE plugin_installations SET runtime_type = {Literal(runtimeType)} WHERE id = '{google.InstallationId}'");
        await d.Database.ExecuteAsync($"DELETE FROM plugin_declarations WHERE plugin_unique_identifier = '{google.Identifier.Value}'");

        var report = await d.ScanAsync();

        Assert.That(report.Findings.Select(f => f.Rule), Does.Contain("installation-declaration-missing").And.Contain("daemon-value-unknown"));
    }

    [Test]
    public async Task Repair_leaves_a_missing_marker_of_an_unknown_install_type_to_a_person_instead_of_calling_it_resolved()
    {
        await using var d = await DeploymentUnderTest.CreateAsync();
        var google = d.Deployment.Installation(Tenant(1), Plugins.Google);
        await d.Database.ExecuteAsync($"UPDATE plugins SET install_type = 'LOCAL' WHERE id = '{google.PluginRowId}'");
        await d.Bucket.Store.DeleteAsync(google.InstalledKey!, CancellationToken.None);

        var plan = await CliRunner.RunAsync(CliRunner.Environment(d.Database, d.Bucket), "repair", "plan", "--grace", "0", "--format", "json");

        Assert.That(plan.ExitCode, Is.EqualTo((int)ExitCode.Findings), plan.ToString());
        using var json = JsonDocument.Parse(plan.Stdout);
        var manual = json.RootElement.GetProperty("manual").EnumerateArray().ToDictionary(m => m.GetProperty("rule").GetString()!, m => m.GetProperty("reason").GetString()!);
        Assert.That(manual.Keys, Is.EquivalentTo(new[] { "daemon-value-unknown", "plugin-installed-object-missing" }));
        Assert.That(manual["plugin-installed-object-missing"], Does.Contain("'LOCAL'"));
    }

    private static string Literal(string? value) => value is null ? "NULL" : $"'{value}'";
}
