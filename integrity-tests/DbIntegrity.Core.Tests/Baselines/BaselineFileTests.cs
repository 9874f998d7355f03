using System.Text.Json;
using System.Xml.Linq;
using DbIntegrity.Core.Baselines;
using DbIntegrity.Core.Reporting;
using DbIntegrity.Core.Rules;
using DbIntegrity.Core.Wording;

namespace DbIntegrity.Core.Tests.Baselines;

public sealed class BaselineFileTests
{
    private static readonly Finding Known = Error("plugin-package-missing", "plugin_packages/a/old:1.0.0@x");
    private static readonly Finding Fresh = Error("plugin-package-missing", "plugin_packages/a/new:1.0.0@y");
    private static readonly Finding Info = new() { Rule = "orphan-asset", Severity = Severity.Info, Message = "waste", ObjectKey = "assets/z.svg" };

    private string _directory = null!;

    [SetUp]
    public void CreateDirectory() => _directory = Directory.CreateTempSubdirectory("dbi-baseline-").FullName;

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    [Test]
    public async Task A_written_baseline_accepts_its_findings_and_lets_new_ones_block()
    {
        var path = Path.Combine(_directory, "nested", "baseline.json");
        await BaselineFile.WriteAsync(path, Report(ScanStatus.Inconsistent, Known, Info), CancellationToken.None);

        var baseline = await BaselineFile.LoadAsync(path, CancellationToken.None);
        var report = baseline.Apply(Report(ScanStatus.Inconsistent, Known, Fresh));

        Assert.Multiple(() =>
        {
            Assert.That(baseline.Entries.Select(e => e.Fingerprint), Is.EqualTo(new[] { Known.Fingerprint }), "info findings are not written");
            Assert.That(report.IsAccepted(Known), Is.True);
            Assert.That(report.IsAccepted(Fresh), Is.False);
            Assert.That(report.BlockingErrors, Is.EqualTo(1));
            Assert.That(report.Baseline!.Fixed, Is.Empty);
        });
    }

    [Test]
    public async Task An_entry_no_longer_found_is_fixed_unless_its_rule_did_not_run()
    {
        var path = Path.Combine(_directory, "baseline.json");
        var other = Error("refers-mismatch", null) with { Table = "plugins", RowId = "r9" };
        await BaselineFile.WriteAsync(path, Report(ScanStatus.Inconsistent, Known, other), CancellationToken.None);
        var baseline = await BaselineFile.LoadAsync(path, CancellationToken.None);

        var report = baseline.Apply(Report(ScanStatus.Consistent) with { RulesRun = ["plugin-package-missing"] });

        Assert.Multiple(() =>
        {
            Assert.That(report.Baseline!.Fixed.Select(e => e.Fingerprint), Is.EqualTo(new[] { Known.Fingerprint }));
            Assert.That(report.Baseline.NotChecked.Select(e => e.Rule), Is.EqualTo(new[] { "refers-mismatch" }));
            Assert.That(report.BlockingErrors, Is.Zero);
        });
    }

    [Test]
    public async Task Reports_show_accepted_findings_without_failing_on_them()
    {
        var path = Path.Combine(_directory, "baseline.json");
        await BaselineFile.WriteAsync(path, Report(ScanStatus.Inconsistent, Known), CancellationToken.None);
        var report = (await BaselineFile.LoadAsync(path, CancellationToken.None)).Apply(Report(ScanStatus.Inconsistent, Known));

        using var json = JsonDocument.Parse(JsonReportWriter.Write(report));
        var junit = XDocument.Parse(JunitReportWriter.Write(report, "dbintegrity check"));

        Assert.Multiple(() =>
        {
            Assert.That(json.RootElement.GetProperty("findings")[0].GetProperty("accepted").GetBoolean(), Is.True);
            Assert.That(json.RootElement.GetProperty("baseline").GetProperty("blockingErrors").GetInt32(), Is.Zero);
            Assert.That(junit.Descendants("failure"), Is.Empty);
            Assert.That(junit.Descendants("system-out").Single().Value, Does.Contain("accepted by the baseline"));
            Assert.That(MarkdownReportWriter.Write(report), Does.Contain("(accepted)"));
        });
    }

    [Test]
    public async Task A_missing_or_foreign_file_is_a_configuration_error_that_says_how_to_write_one()
    {
        var foreign = Path.Combine(_directory, "foreign.json");
        await File.WriteAllTextAsync(foreign, """{"findings": []}""");

        var missing = Assert.ThrowsAsync<ConfigurationException>(() => BaselineFile.LoadAsync(Path.Combine(_directory, "none.json"), CancellationToken.None));
        var wrong = Assert.ThrowsAsync<ConfigurationException>(() => BaselineFile.LoadAsync(foreign, CancellationToken.None));

        Assert.That(missing!.Message, Does.Contain(HostWords.Of(NextStep.WriteBaseline)));
        Assert.That(wrong!.Message, Does.Contain(HostWords.Of(NextStep.WriteBaseline)));
    }

    [Test]
    public async Task A_version_1_baseline_written_before_the_kebab_case_convention_still_reads()
    {
        // As dbintegrity wrote baselines while its reports spelled enum values in camelCase.
        var path = Path.Combine(_directory, "old.json");
        await File.WriteAllTextAsync(path, """
            {
              "format": "dbintegrity-baseline",
              "version": 1,
              "createdAt": "2026-11-24T00:00:00+00:00",
              "database": "u@h:5432/dify_plugin",
              "storage": "s3://b",
              "findings": [
                { "fingerprint": "f-error", "rule": "plugin-package-missing", "severity": "error", "message": "gone" },
                { "fingerprint": "f-warning", "rule": "installed-key-invalid", "severity": "warning", "message": "odd key" }
              ]
            }
            """);

        var baseline = await BaselineFile.LoadAsync(path, CancellationToken.None);

        Assert.That(
            baseline.Entries.Select(e => (e.Fingerprint, e.Rule, e.Severity, e.Message)),
            Is.EqualTo(new[] { ("f-error", "plugin-package-missing", Severity.Error, "gone"), ("f-warning", "installed-key-invalid", Severity.Warning, "odd key") }));
    }

    [Test]
    public void Severities_are_spelled_alike_in_camel_and_kebab_case_so_old_baselines_keep_their_meaning()
    {
        // A multi-word severity would be spelled differently in version 1 files: their reader would then need the old spelling too.
        Assert.That(
            Enum.GetValues<Severity>().Select(s => JsonNamingPolicy.KebabCaseLower.ConvertName(s.ToString())),
            Is.EqualTo(Enum.GetValues<Severity>().Select(s => JsonNamingPolicy.CamelCase.ConvertName(s.ToString()))));
    }

    [Test]
    public async Task A_severity_written_as_a_number_is_refused()
    {
        var path = Path.Combine(_directory, "numbers.json");
        await File.WriteAllTextAsync(path, """
            {"format": "dbintegrity-baseline", "version": 1, "findings": [{ "fingerprint": "f", "rule": "r", "severity": 2, "message": "m" }]}
            """);

        var refused = Assert.ThrowsAsync<ConfigurationException>(() => BaselineFile.LoadAsync(path, CancellationToken.None));

        Assert.That(refused!.Message, Does.Contain(HostWords.Of(NextStep.WriteBaseline)));
    }

    private static Finding Error(string rule, string? key) => new() { Rule = rule, Severity = Severity.Error, Message = $"{rule} {key}", ObjectKey = key };

    private static ScanReport Report(ScanStatus status, params Finding[] findings) => new()
    {
        Status = status,
        StartedAt = new DateTimeOffset(2026, 11, 24, 0, 0, 0, TimeSpan.Zero),
        Duration = TimeSpan.FromSeconds(1),
        Database = "u@h:5432/dify_plugin",
        Storage = "s3://b",
        Findings = findings,
        CountsByRule = findings.GroupBy(f => f.Rule).ToDictionary(g => g.Key, g => g.Count()),
        CountsBySeverity = Enum.GetValues<Severity>().ToDictionary(s => s, s => findings.Count(f => f.Severity == s)),
        RulesRun = ["plugin-package-missing", "refers-mismatch", "orphan-asset"],
        RulesSkipped = [],
        Scanned = new Dictionary<string, long>(),
    };
}
