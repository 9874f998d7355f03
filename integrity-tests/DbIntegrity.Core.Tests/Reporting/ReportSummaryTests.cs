using System.Globalization;
using System.Text.Json;
using DbIntegrity.Core.History;
using DbIntegrity.Core.Reporting;
using DbIntegrity.Core.Rules;
using DbIntegrity.Core.Wording;

namespace DbIntegrity.Core.Tests.Reporting;

/// <summary>
/// Issue 13: a lost prefix is 10⁵ findings. Table and Markdown show the first few of each rule and say how many more the
/// JSON report lists; counts and verdict stay exact; the run history stores an excerpt that says what it left out.
/// </summary>
public sealed class ReportSummaryTests
{
    private const string Missing = "plugin-package-missing";
    private const string Orphan = "orphan-package-object";

    [Test]
    public void Groups_keep_the_first_findings_of_each_rule_and_count_the_rest()
    {
        var report = Report(Errors(Missing, 250), Infos(Orphan, 3), countedInfos: 7);

        var groups = ReportSummary.Groups(report, shown: 100);

        Assert.Multiple(() =>
        {
            Assert.That(groups.Select(g => g.Rule.Rule), Is.EqualTo(new[] { Missing, Orphan }), "most severe first");
            Assert.That(groups[0].Shown.Select(f => f.RowId), Is.EqualTo(Enumerable.Range(0, 100).Select(Row)), "the first of the report's order");
            Assert.That((groups[0].Rule.Count, groups[0].Listed, groups[0].NotShown, groups[0].NotListed), Is.EqualTo((250, 250, 150, 0)));
            Assert.That((groups[1].Rule.Count, groups[1].Listed, groups[1].NotShown, groups[1].NotListed), Is.EqualTo((10, 3, 0, 7)));
        });
    }

    [Test]
    public void The_more_line_says_how_many_more_and_that_the_json_report_lists_every_one()
    {
        var groups = ReportSummary.Groups(Report(Errors(Missing, 250), Infos(Orphan, 3), countedInfos: 7), shown: 100);
        var everyOne = ReportSummary.Groups(Report(Errors(Missing, 2), []), shown: 100);

        Assert.Multiple(() =>
        {
            Assert.That(ReportSummary.More(groups[0]), Is.EqualTo($"… and 150 more; the JSON report ({HostWords.Of(UserOption.ReportFormat)} json) lists every one."));
            Assert.That(ReportSummary.More(groups[0], ", as does --verbose"), Does.EndWith("lists every one, as does --verbose."));
            Assert.That(ReportSummary.More(groups[1]), Is.EqualTo("… and 7 more info finding(s) counted, not listed."));
            Assert.That(ReportSummary.More(everyOne[0]), Is.Null, "nothing to say when every finding is shown");
        });
    }

    [Test]
    public void Markdown_shows_at_most_the_limit_per_rule_with_exact_counts_and_verdict()
    {
        var report = Report(Errors(Missing, 3 * ReportSummary.ListedPerRule), []);

        var text = MarkdownReportWriter.Write(report);

        Assert.Multiple(() =>
        {
            Assert.That(text, Does.Contain($"inconsistent: {3 * ReportSummary.ListedPerRule} error(s)"));
            Assert.That(text, Does.Contain($"| `{Missing}` | error | {3 * ReportSummary.ListedPerRule} |"));
            Assert.That(text.Split("\n- ").Length - 1, Is.EqualTo(ReportSummary.ListedPerRule + 1), "the shown findings and one line for the rest");
            Assert.That(text, Does.Contain($"- … and {2 * ReportSummary.ListedPerRule} more; the JSON report ({HostWords.Of(UserOption.ReportFormat)} json) lists every one.\n"));
        });
    }

    [Test]
    public void The_stored_report_keeps_the_summary_exact_and_says_how_many_findings_it_left_out()
    {
        var report = Report(Errors(Missing, CheckRunTable.StoredFindings + 50), Infos(Orphan, 3));

        using var stored = JsonDocument.Parse(JsonReportWriter.Write(report, CheckRunTable.Excerpt(Severity.Info), present: null));
        using var full = JsonDocument.Parse(JsonReportWriter.Write(report));
        var root = stored.RootElement;

        Assert.Multiple(() =>
        {
            Assert.That(root.GetProperty("findings").GetArrayLength(), Is.EqualTo(CheckRunTable.StoredFindings));
            Assert.That(root.GetProperty("findingsLeftOut").GetProperty("count").GetInt32(), Is.EqualTo(53));
            Assert.That(root.GetProperty("findingsLeftOut").GetProperty("reason").GetString(), Does.Contain($"{HostWords.Of(UserOption.ReportFormat)} json"));
            Assert.That(JsonSerializer.Serialize(root.GetProperty("summary")), Is.EqualTo(JsonSerializer.Serialize(full.RootElement.GetProperty("summary"))), "the counts are those of the full report");
            Assert.That(root.GetProperty("status").GetString(), Is.EqualTo("inconsistent"));
            Assert.That(full.RootElement.TryGetProperty("findingsLeftOut", out _), Is.False, "the full report leaves nothing out");
            Assert.That(full.RootElement.GetProperty("findings").GetArrayLength(), Is.EqualTo(CheckRunTable.StoredFindings + 53));
        });
    }

    [Test]
    public void A_presenter_applies_to_every_string_value_before_it_is_escaped()
    {
        const string secret = "pa\"ss\\word";
        var finding = new Finding { Rule = Missing, Severity = Severity.Error, Message = $"run {HostWords.Of(NextStep.MakeRepairPlan)}; password {secret}", RowId = "r" };

        var json = JsonReportWriter.Write(Report([finding], []), text => text.Replace(HostWords.Of(NextStep.MakeRepairPlan), "make-plan", StringComparison.Ordinal).Replace(secret, "***", StringComparison.Ordinal));

        using var document = JsonDocument.Parse(json);
        Assert.That(document.RootElement.GetProperty("findings")[0].GetProperty("message").GetString(), Is.EqualTo("run make-plan; password ***"));
    }

    private static string Row(int i) => "row-" + i.ToString("D6", CultureInfo.InvariantCulture);

    private static Finding[] Errors(string rule, int count) =>
        [.. Enumerable.Range(0, count).Select(i => new Finding { Rule = rule, Severity = Severity.Error, Message = $"{Row(i)} is missing", Table = "plugins", RowId = Row(i) })];

    private static Finding[] Infos(string rule, int count) =>
        [.. Enumerable.Range(0, count).Select(i => new Finding { Rule = rule, Severity = Severity.Info, Message = $"waste {i}", ObjectKey = $"plugin_packages/x{i}" })];

    private static ScanReport Report(Finding[] errors, Finding[] infos, int countedInfos = 0)
    {
        Finding[] findings = [.. errors, .. infos];
        var counts = findings.GroupBy(f => f.Rule).ToDictionary(g => g.Key, g => g.Count());
        if (infos.Length > 0)
        {
            counts[infos[0].Rule] += countedInfos;
        }

        return new ScanReport
        {
            Status = errors.Length > 0 ? ScanStatus.Inconsistent : ScanStatus.Consistent,
            StartedAt = new DateTimeOffset(2026, 12, 2, 0, 0, 0, TimeSpan.Zero),
            Duration = TimeSpan.FromSeconds(3),
            Database = "u@h:5432/dify_plugin",
            Storage = "s3://b",
            Findings = findings,
            CountsByRule = counts,
            CountsBySeverity = new Dictionary<Severity, int> { [Severity.Error] = errors.Length, [Severity.Info] = infos.Length + countedInfos },
            RulesRun = [Missing, Orphan],
            RulesSkipped = [],
            NotListed = countedInfos,
            Scanned = new Dictionary<string, long>(),
        };
    }
}
