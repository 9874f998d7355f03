using System.Collections;
using System.Globalization;
using System.Text;
using System.Text.Json;
using DbIntegrity.Cli.Commands;
using DbIntegrity.Cli.Infrastructure;
using DbIntegrity.Core.Configuration;
using DbIntegrity.Core.Gate;
using DbIntegrity.Core.Reporting;
using DbIntegrity.Core.Rules;
using DbIntegrity.Core.Wording;
using DbIntegrity.Tests.Shared;
using Spectre.Console;

namespace DbIntegrity.Cli.Tests.Output;

/// <summary>
/// Issue 13's worst case: a lost prefix is a finding per row. <c>check --format json</c> lists every one, presented
/// (placeholders filled, secrets blanked) one finding at a time, and never holds the report's text whole.
/// </summary>
public sealed class StreamedReportTests
{
    private const int Count = 200_000;
    private const string Secret = "s3cr3t-Passw0rd";
    private const string Rule = "plugin-package-missing";

    [Test]
    public async Task The_json_report_on_stdout_lists_every_finding_presented_and_is_written_while_the_findings_are_read()
    {
        var path = Path.Combine(Path.GetTempPath(), $"dbintegrity-stdout-{Guid.NewGuid():N}.json");
        try
        {
            long atHalf;
            RecordingWriter stdout;
            await using (var file = new StreamWriter(path, append: false, new UTF8Encoding(false)))
            {
                stdout = new RecordingWriter(file);
                var findings = new GeneratedFindings(Count, stdout);
                var context = Context(stdout);

                await CheckCommand.WriteReportAsync(context, new CheckSettings { Format = "json" }, Report(findings), CancellationToken.None);
                atHalf = findings.WrittenAtHalf ?? throw new InvalidOperationException("the findings were never read past the middle");
            }

            Assert.Multiple(() =>
            {
                // Written as it is read: when half the findings had been read, about half the text was already out. A
                // renderer that built the text first would have written nothing by then.
                Assert.That(atHalf, Is.GreaterThan(stdout.Written * 4 / 10), $"{atHalf} of {stdout.Written} characters out at the middle");
                Assert.That(stdout.LargestWrite, Is.LessThan(1 << 20), "no write holds the report whole");
            });
            await AssertCompleteAsync(path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public async Task The_json_report_written_to_a_file_lists_every_finding_presented()
    {
        var path = Path.Combine(Path.GetTempPath(), $"dbintegrity-output-{Guid.NewGuid():N}.json");
        try
        {
            var stdout = new RecordingWriter(TextWriter.Null);
            await CheckCommand.WriteReportAsync(Context(stdout), new CheckSettings { Format = "json", Output = path }, Report(new GeneratedFindings(Count, stdout)), CancellationToken.None);

            Assert.That(stdout.Written, Is.Zero, "with --output, stdout stays empty");
            await AssertCompleteAsync(path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public async Task The_table_shows_the_first_findings_of_a_rule_and_says_the_json_report_lists_every_one()
    {
        var stdout = new StringWriter();
        await CheckCommand.WriteReportAsync(Context(stdout), new CheckSettings(), Report(new GeneratedFindings(Count, new RecordingWriter(TextWriter.Null))), CancellationToken.None);
        var lines = stdout.ToString().Split('\n');

        Assert.Multiple(() =>
        {
            Assert.That(lines[0], Is.EqualTo($"inconsistent: {Count} error(s), 0 warning(s), 0 info in 1 rule(s)."), "the verdict counts every finding");
            Assert.That(lines, Does.Contain($"  {Count} error {Rule}"));
            Assert.That(lines.Count(l => l.StartsWith("  - plugin_packages/a/p", StringComparison.Ordinal)), Is.EqualTo(Core.Reporting.ReportSummary.ListedPerRule));
            Assert.That(lines, Does.Contain($"  … and {Count - Core.Reporting.ReportSummary.ListedPerRule} more; the JSON report (--format json) lists every one, as does --verbose."));
            Assert.That(stdout.ToString(), Does.Not.Contain(Secret));
        });
    }

    [Test]
    public async Task The_gate_json_report_embeds_every_finding_of_its_check_streamed_and_presented()
    {
        const int count = 20_000;
        var text = new StringWriter();
        var stdout = new RecordingWriter(text);
        var findings = new GeneratedFindings(count, stdout);

        await GateCommand.WriteReportAsync(Context(stdout), new GateSettings { Format = "json" }, Gate(Report(findings)), CancellationToken.None);

        using var json = JsonDocument.Parse(text.ToString());
        var check = json.RootElement.GetProperty("check");
        Assert.Multiple(() =>
        {
            Assert.That(json.RootElement.GetProperty("verdict").GetString(), Is.EqualTo("block"));
            Assert.That(check.GetProperty("findings").GetArrayLength(), Is.EqualTo(count));
            Assert.That(check.GetProperty("findings")[count - 1].GetProperty("message").GetString(), Does.Contain("`dbintegrity repair plan`").And.Contain("***"));
            Assert.That(text.ToString(), Does.Not.Contain(Secret).And.Not.Contain("{next:"));
            Assert.That(findings.WrittenAtHalf, Is.GreaterThan(stdout.Written * 4 / 10), "written while the findings are read");
        });
    }

    private static GateReport Gate(ScanReport check) => SyntheticReports.BlockedGate(check, "gate", Rule);

    private static async Task AssertCompleteAsync(string path)
    {
        await using var file = File.OpenRead(path);
        using var json = await JsonDocument.ParseAsync(file);
        var findings = json.RootElement.GetProperty("findings");
        var messages = findings.EnumerateArray().Select(f => f.GetProperty("message").GetString()!).ToList();
        var text = await File.ReadAllTextAsync(path);

        Assert.Multiple(() =>
        {
            Assert.That(findings.GetArrayLength(), Is.EqualTo(Count));
            Assert.That(json.RootElement.GetProperty("summary").GetProperty("byRule").GetProperty(Rule).GetInt32(), Is.EqualTo(Count));
            Assert.That(messages[0], Is.EqualTo("plugin_packages/a/p0 does not exist; `dbintegrity repair plan` proposes a fix (password ***)."));
            Assert.That(messages[^1], Does.StartWith($"plugin_packages/a/p{Count - 1} does not exist"));
            Assert.That(messages.Count(m => m.Contains("dbintegrity repair plan", StringComparison.Ordinal)), Is.EqualTo(Count), "every finding's placeholder is filled");
            Assert.That(text, Does.Not.Contain(Secret).And.Not.Contain("{next:"));
        });
    }

    private static CliContext Context(TextWriter stdout)
    {
        var output = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Out = new AnsiConsoleOutput(stdout),
            Interactive = InteractionSupport.No,
        });
        var diagnostics = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(TextWriter.Null) });
        var context = new CliContext(output, diagnostics, new SettingsSource(new Dictionary<string, string>()));
        context.Redactor.Add(Secret);
        return context;
    }

    private static ScanReport Report(IReadOnlyList<Finding> findings) => SyntheticReports.Inconsistent(findings, Rule, DateTimeOffset.UnixEpoch);

    /// <summary>
    /// Findings made when read, like the scan's spilled list (which reads each from its temp file): none is held. Notes
    /// how much the output had received when the middle one was read.
    /// </summary>
    private sealed class GeneratedFindings(int count, RecordingWriter output) : IReadOnlyList<Finding>
    {
        public long? WrittenAtHalf { get; private set; }

        public int Count => count;

        public Finding this[int index] => Make(index);

        public IEnumerator<Finding> GetEnumerator()
        {
            for (var i = 0; i < count; i++)
            {
                if (i == count / 2)
                {
                    WrittenAtHalf = output.Written;
                }

                yield return Make(i);
            }
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        private static Finding Make(int i) => new()
        {
            Rule = Rule,
            Severity = Severity.Error,
            Message = $"plugin_packages/a/p{i.ToString(CultureInfo.InvariantCulture)} does not exist; `{HostWords.Of(NextStep.MakeRepairPlan)}` proposes a fix (password {Secret}).",
            Table = "plugins",
            RowId = $"row-{i.ToString(CultureInfo.InvariantCulture)}",
            ObjectKey = $"plugin_packages/a/p{i.ToString(CultureInfo.InvariantCulture)}",
        };
    }

    /// <summary>stdout as the test sees it: passes the text on and counts it, and the largest single write.</summary>
    private sealed class RecordingWriter(TextWriter inner) : TextWriter
    {
        public long Written { get; private set; }

        public int LargestWrite { get; private set; }

        public override Encoding Encoding => Encoding.UTF8;

        public override void Write(char value)
        {
            Written++;
            inner.Write(value);
        }

        public override void Write(char[] buffer, int index, int count) => Write(buffer.AsSpan(index, count));

        public override void Write(ReadOnlySpan<char> buffer)
        {
            Written += buffer.Length;
            LargestWrite = Math.Max(LargestWrite, buffer.Length);
            inner.Write(buffer);
        }

        public override void Write(string? value) => Write(value.AsSpan());

        public override Task WriteAsync(ReadOnlyMemory<char> buffer, CancellationToken cancellationToken = default)
        {
            Write(buffer.Span);
            return Task.CompletedTask;
        }

        public override void Flush() => inner.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
    }
}
