using System.Globalization;
using System.Text.RegularExpressions;
using DbIntegrity.Cli.Tests.Infrastructure;
using DbIntegrity.Core.Rules;

namespace DbIntegrity.Cli.Tests;

/// <summary>
/// The README's exit-code and rule tables are contracts CI scripts and baselines rely on: they must list exactly what
/// the CLI returns and reports.
/// </summary>
public sealed partial class ReadmeContractTests
{
    [Test]
    public void The_README_exit_code_table_lists_exactly_the_cli_exit_codes()
    {
        var section = Section("## Exit codes");

        var documented = CodeRow().Matches(section).Select(m => int.Parse(m.Groups["code"].Value, CultureInfo.InvariantCulture));

        Assert.That(documented, Is.EquivalentTo(Enum.GetValues<ExitCode>().Select(c => (int)c)));
    }

    [Test]
    public void The_README_rule_table_lists_every_rule_with_its_severity()
    {
        var section = Section("### Rules");

        var documented = RuleRow().Matches(section).ToDictionary(m => m.Groups["id"].Value, m => m.Groups["severity"].Value, StringComparer.Ordinal);

        Assert.That(documented, Is.EquivalentTo(RuleCatalog.Descriptors.ToDictionary(d => d.Id, d => d.Severity.ToString().ToLowerInvariant(), StringComparer.Ordinal)));
    }

    private static string Section(string heading)
    {
        var readme = File.ReadAllText(Path.Combine(CliRun.RepositoryRoot(), "README.md"));
        var start = readme.IndexOf("\n" + heading + "\n", StringComparison.Ordinal);
        Assert.That(start, Is.GreaterThanOrEqualTo(0), $"README.md has a '{heading}' section");
        var end = readme.IndexOf("\n#", start + heading.Length + 2, StringComparison.Ordinal);
        return end < 0 ? readme[start..] : readme[start..end];
    }

    [GeneratedRegex(@"^\| (?<code>\d+) \|", RegexOptions.Multiline)]
    private static partial Regex CodeRow();

    [GeneratedRegex(@"^\| `(?<id>[a-z-]+)` \| (?<severity>error|warning|info) \|", RegexOptions.Multiline)]
    private static partial Regex RuleRow();
}
