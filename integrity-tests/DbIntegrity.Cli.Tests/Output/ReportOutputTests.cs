using DbIntegrity.Cli.Rendering;
using DbIntegrity.Core.Reporting;
using DbIntegrity.Core.Rules;
using Spectre.Console;
using Spectre.Console.Testing;

namespace DbIntegrity.Cli.Tests.Output;

/// <summary>The human-readable formats off a terminal: summary first, one line per finding, no padding, no wrapping.</summary>
public sealed class ReportOutputTests
{
    private const string LongKey = "plugin_packages/langgenius/openai:0.2.7@0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    private static readonly Finding[] Findings =
    [
        .. Enumerable.Range(1, 3).Select(i => new Finding
        {
            Rule = "declaration-package-missing",
            Severity = Severity.Error,
            Message = $"plugin_declarations has langgenius/openai:0.2.{i}@abc but {LongKey}{i} does not exist. Dify reads the declaration, treats the package as already uploaded "
                + "and skips the upload, so installing or upgrading to this version fails with 'failed to get package file' (daemon#736).",
            Table = "plugin_declarations",
            RowId = $"row-{i}",
            ObjectKey = LongKey + i,
        }),
        new Finding { Rule = "orphan-asset", Severity = Severity.Info, Message = "assets/x.svg (10 bytes) is not named by any stored declaration. Harmless.", ObjectKey = "assets/x.svg" },
    ];

    private static ScanReport Report() => new()
    {
        Status = ScanStatus.Inconsistent,
        StartedAt = DateTimeOffset.UnixEpoch,
        Duration = TimeSpan.FromSeconds(1.5),
        Database = "postgres@db:5432/dify_plugin",
        Storage = "s3://dify-plugins",
        Findings = Findings,
        CountsByRule = new Dictionary<string, int> { ["declaration-package-missing"] = 3, ["orphan-asset"] = 1 },
        CountsBySeverity = new Dictionary<Severity, int> { [Severity.Error] = 3, [Severity.Info] = 1 },
        RulesRun = ["declaration-package-missing", "orphan-asset"],
        RulesSkipped = [],
        Scanned = new Dictionary<string, long>(),
    };

    private static string Table(bool verbose = false)
    {
        var console = new TestConsole().Width(80);
        return ReportFormats.Get("table").Render(Report(), new RenderTarget(console, verbose));
    }

    [Test]
    public void The_table_starts_with_the_verdict_and_the_counts_by_rule()
    {
        var lines = Table().Split('\n');

        Assert.Multiple(() =>
        {
            Assert.That(lines[0], Is.EqualTo("inconsistent: 3 error(s), 0 warning(s), 1 info in 2 rule(s)."));
            Assert.That(lines[2], Is.EqualTo("  3 error declaration-package-missing"));
            Assert.That(lines[3], Is.EqualTo("  1 info orphan-asset"));
            Assert.That(lines[4], Does.StartWith("Next: `dbintegrity repair plan -o plan.json`"));
        });
    }

    [Test]
    public void The_table_explains_each_rule_once_and_lists_one_line_per_finding()
    {
        var text = Table();

        Assert.Multiple(() =>
        {
            Assert.That(text.Split("treats the package as already uploaded").Length - 1, Is.EqualTo(1));
            Assert.That(text, Does.Contain($"  - plugin_declarations has langgenius/openai:0.2.2@abc but {LongKey}2 does not exist.\n"));
        });
    }

    [Test]
    public void Off_a_terminal_no_line_is_wrapped_or_ends_in_spaces()
    {
        foreach (var text in new[] { Table(), Table(verbose: true), ReportFormats.Get("markdown").Render(Report(), new RenderTarget(new TestConsole(), false)) })
        {
            var lines = text.Split('\n');
            Assert.That(lines.Where(l => l.EndsWith(' ') || l.EndsWith('\t')), Is.Empty, text);
            Assert.That(lines.Count(l => l.Contains(LongKey + "1", StringComparison.Ordinal)), Is.GreaterThanOrEqualTo(1), text);
            Assert.That(lines.Any(l => l.Length > 0 && LongKey.StartsWith(l.Trim(), StringComparison.Ordinal) && l.Trim().Length < LongKey.Length / 2), Is.False, "a key is broken across lines:\n" + text);
        }
    }

    [Test]
    public void Verbose_prints_every_locator_and_full_message()
    {
        var text = Table(verbose: true);

        Assert.That(text, Does.Contain("  - plugin_declarations row-1, " + LongKey + "1\n"));
        Assert.That(text.Split("treats the package as already uploaded").Length - 1, Is.EqualTo(4));
    }

    [Test]
    public void Markdown_explains_each_rule_once_with_one_item_per_finding()
    {
        var text = ReportFormats.Get("markdown").Render(Report(), new RenderTarget(AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(TextWriter.Null) }), false));

        Assert.Multiple(() =>
        {
            Assert.That(text, Does.Contain("| `declaration-package-missing` | error | 3 |"));
            Assert.That(text, Does.Contain("### `declaration-package-missing` (error, 3)"));
            Assert.That(text.Split("treats the package as already uploaded").Length - 1, Is.EqualTo(1));
            Assert.That(text.Split("\n- plugin_declarations has").Length - 1, Is.EqualTo(3));
        });
    }

    [Test]
    public void Every_format_is_in_one_registry_used_by_check_and_gate() =>
        Assert.Multiple(() =>
        {
            Assert.That(ReportFormats.All.Select(f => f.Name), Is.EqualTo(new[] { "table", "json", "junit", "markdown", "prometheus" }));
            Assert.That(ReportFormats.Gate.Select(f => f.Name), Is.EqualTo(new[] { "table", "json", "junit", "markdown" }));
        });
}
