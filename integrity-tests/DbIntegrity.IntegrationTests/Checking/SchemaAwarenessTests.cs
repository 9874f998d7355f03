using System.Text.Json;
using DbIntegrity.Cli;
using DbIntegrity.IntegrationTests.Infrastructure;
using DbIntegrity.IntegrationTests.Migrating;

namespace DbIntegrity.IntegrationTests.Checking;

/// <summary>
/// <c>check</c> on databases DbIntegrity did not build or that predate a rule's tables: it runs what it can, skips
/// the rest by name, and never mistakes a missing table for consistency.
/// </summary>
[Category("Integration")]
[Parallelizable(ParallelScope.Children)]
public sealed class SchemaAwarenessTests
{
    private const string Tavily = "langgenius/tavily:0.1.2@4f1c7e0a9b8d6c5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e";

    [Test]
    public async Task Check_runs_on_an_unversioned_database_the_daemon_made_and_names_its_broken_references()
    {
        // Given a database GORM created with daemon 0.6.10 (no version table), one installed plugin, and an empty bucket.
        await using var database = await TestDatabase.CreateAsync();
        await using var bucket = await TestBucket.CreateAsync();
        await MigrationCases.RunFixtureAsync(database, "gorm_fresh_0_6_10.sql");

        // When it is checked.
        var result = await CliRunner.RunAsync(CliRunner.Environment(database, bucket), "check", "--grace", "0", "--format", "json");

        // Then every non-deep rule ran, and the plugin's missing objects are named.
        Assert.That(result.ExitCode, Is.EqualTo((int)ExitCode.Findings), result.ToString());
        using var json = JsonDocument.Parse(result.Stdout);
        var root = json.RootElement;
        var findings = root.GetProperty("findings").EnumerateArray()
            .Select(f => (Rule: f.GetProperty("rule").GetString(), Identifier: f.TryGetProperty("identifier", out var i) ? i.GetString() : null))
            .ToList();
        var skipped = root.GetProperty("summary").GetProperty("rulesSkipped").EnumerateArray().Select(s => s.GetProperty("rule").GetString()).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(root.GetProperty("status").GetString(), Is.EqualTo("inconsistent"));
            Assert.That(findings, Does.Contain(("declaration-package-missing", (string?)Tavily)));
            Assert.That(findings, Does.Contain(("plugin-package-missing", (string?)Tavily)));
            Assert.That(findings, Does.Contain(("plugin-installed-object-missing", (string?)Tavily)));
            Assert.That(skipped, Is.All.AnyOf("package-checksum-mismatch", "package-unreadable", "declaration-identity-mismatch"));
        });
    }

    [Test]
    public async Task A_rule_whose_table_does_not_exist_yet_is_reported_skipped_with_the_reason()
    {
        // Given a database at daemon 0.5.1, before plugin_readme_records existed (docs/daemon/database.md#schema-history, 0.5.2).
        await using var database = await TestDatabase.CreateMigratedAsync("0.5.1");
        await using var bucket = await TestBucket.CreateAsync();

        // When it is checked.
        var result = await CliRunner.RunAsync(CliRunner.Environment(database, bucket), "check", "--grace", "0", "--format", "json");

        // Then orphan-readme is skipped, naming the table it needs, and did not run.
        Assert.That(result.ExitCode, Is.EqualTo((int)ExitCode.Success), result.ToString());
        using var json = JsonDocument.Parse(result.Stdout);
        var summary = json.RootElement.GetProperty("summary");
        var skipped = summary.GetProperty("rulesSkipped").EnumerateArray()
            .ToDictionary(s => s.GetProperty("rule").GetString()!, s => s.GetProperty("reason").GetString());
        var run = summary.GetProperty("rulesRun").EnumerateArray().Select(r => r.GetString()).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(skipped, Does.ContainKey("orphan-readme"));
            Assert.That(skipped.GetValueOrDefault("orphan-readme"), Does.Contain("plugin_readme_records"));
            Assert.That(run, Does.Not.Contain("orphan-readme").And.Contain("declaration-package-missing"));
        });
    }
}
