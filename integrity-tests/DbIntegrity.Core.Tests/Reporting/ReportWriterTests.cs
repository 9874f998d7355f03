using System.Text.Json;
using System.Xml.Linq;
using DbIntegrity.Core.Reporting;
using DbIntegrity.Core.Rules;

namespace DbIntegrity.Core.Tests.Reporting;

public sealed class ReportWriterTests
{
    private static ScanReport Report(ScanStatus status, params Finding[] findings) => new()
    {
        Status = status,
        IncompleteReason = status == ScanStatus.Incomplete ? "S3 request failed" : null,
        StartedAt = new DateTimeOffset(2026, 11, 24, 0, 0, 0, TimeSpan.Zero),
        Duration = TimeSpan.FromSeconds(1.5),
        Database = "u@h:5432/dify_plugin",
        Storage = "s3://b",
        Findings = findings,
        CountsByRule = findings.GroupBy(f => f.Rule).ToDictionary(g => g.Key, g => g.Count()),
        CountsBySeverity = Enum.GetValues<Severity>().ToDictionary(s => s, s => findings.Count(f => f.Severity == s)),
        RulesRun = ["declaration-package-missing", "orphan-package-object", "refers-mismatch"],
        RulesSkipped = [new SkippedRule("orphan-readme", "no table")],
        Scanned = new Dictionary<string, long> { ["plugins"] = 3 },
    };

    private static readonly Finding Missing = new()
    {
        Rule = "declaration-package-missing",
        Severity = Severity.Error,
        Message = "gone",
        Table = "plugin_declarations",
        RowId = "r1",
        Identifier = "a/b:1.0.0@x",
        ObjectKey = "plugin_packages/a/b:1.0.0@x",
    };

    private static readonly Finding Orphan = new() { Rule = "orphan-package-object", Severity = Severity.Info, Message = "waste", ObjectKey = "plugin_packages/c" };

    [Test]
    public void Json_has_status_findings_with_locators_and_a_summary()
    {
        using var json = JsonDocument.Parse(JsonReportWriter.Write(Report(ScanStatus.Inconsistent, Missing, Orphan)));
        var root = json.RootElement;
        var finding = root.GetProperty("findings")[0];

        Assert.Multiple(() =>
        {
            Assert.That(root.GetProperty("status").GetString(), Is.EqualTo("inconsistent"));
            Assert.That(finding.GetProperty("rule").GetString(), Is.EqualTo("declaration-package-missing"));
            Assert.That(finding.GetProperty("severity").GetString(), Is.EqualTo("error"));
            Assert.That(finding.GetProperty("table").GetString(), Is.EqualTo("plugin_declarations"));
            Assert.That(finding.GetProperty("rowId").GetString(), Is.EqualTo("r1"));
            Assert.That(finding.GetProperty("objectKey").GetString(), Is.EqualTo("plugin_packages/a/b:1.0.0@x"));
            Assert.That(finding.TryGetProperty("tenantId", out _), Is.False, "null locators are left out");
            Assert.That(root.GetProperty("summary").GetProperty("bySeverity").GetProperty("error").GetInt32(), Is.EqualTo(1));
            Assert.That(root.GetProperty("summary").GetProperty("byRule").GetProperty("orphan-package-object").GetInt32(), Is.EqualTo(1));
            Assert.That(root.GetProperty("summary").GetProperty("rulesSkipped")[0].GetProperty("rule").GetString(), Is.EqualTo("orphan-readme"));
        });
    }

    [Test]
    public void Junit_makes_every_rule_a_test_case_and_fails_only_rules_with_errors()
    {
        var xml = XDocument.Parse(JunitReportWriter.Write(Report(ScanStatus.Inconsistent, Missing, Orphan)));
        var cases = xml.Descendants("testcase").ToDictionary(e => (string)e.Attribute("name")!);

        Assert.Multiple(() =>
        {
            Assert.That(cases.Keys, Is.EquivalentTo(new[] { "declaration-package-missing", "orphan-package-object", "refers-mismatch", "orphan-readme" }));
            Assert.That(cases["declaration-package-missing"].Element("failure"), Is.Not.Null);
            Assert.That(cases["orphan-package-object"].Element("failure"), Is.Null);
            Assert.That(cases["orphan-package-object"].Element("system-out")?.Value, Does.Contain("waste"));
            Assert.That(cases["refers-mismatch"].Elements(), Is.Empty);
            Assert.That(cases["orphan-readme"].Element("skipped"), Is.Not.Null);
            Assert.That((int)xml.Root!.Attribute("failures")!, Is.EqualTo(1));
        });
    }

    [Test]
    public void Junit_reports_an_incomplete_scan_as_an_error_case()
    {
        var xml = XDocument.Parse(JunitReportWriter.Write(Report(ScanStatus.Incomplete)));

        Assert.That(xml.Descendants("error").Single().Value, Does.Contain("S3 request failed"));
    }

    [Test]
    public void Markdown_escapes_pipes_and_shows_the_status()
    {
        var text = MarkdownReportWriter.Write(Report(ScanStatus.Inconsistent, Missing with { Message = "a | b" }));

        Assert.That(text, Does.Contain("inconsistent").And.Contain("a \\| b"));
    }
}
