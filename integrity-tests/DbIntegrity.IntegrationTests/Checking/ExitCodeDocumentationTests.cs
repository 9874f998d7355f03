using System.Text.RegularExpressions;
using DbIntegrity.Cli;

namespace DbIntegrity.IntegrationTests.Checking;

/// <summary>
/// The README's exit-code table is a contract CI scripts rely on: it must list exactly the codes the CLI returns.
/// Lives here because this project references the CLI; it needs no service.
/// </summary>
[Category("Integration")]
public sealed partial class ExitCodeDocumentationTests
{
    [Test]
    public void The_README_exit_code_table_lists_exactly_the_cli_exit_codes()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md"));
        var start = readme.IndexOf("## Exit codes", StringComparison.Ordinal);
        Assert.That(start, Is.GreaterThanOrEqualTo(0), "README.md has an '## Exit codes' section");
        var end = readme.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        var section = end < 0 ? readme[start..] : readme[start..end];

        var documented = CodeRow().Matches(section).Select(m => int.Parse(m.Groups["code"].Value, System.Globalization.CultureInfo.InvariantCulture));

        Assert.That(documented, Is.EquivalentTo(Enum.GetValues<ExitCode>().Select(c => (int)c)));
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "DbIntegrity.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new DirectoryNotFoundException("DbIntegrity.sln not found above the test directory.");
    }

    [GeneratedRegex(@"^\| (?<code>\d+) \|", RegexOptions.Multiline)]
    private static partial Regex CodeRow();
}
