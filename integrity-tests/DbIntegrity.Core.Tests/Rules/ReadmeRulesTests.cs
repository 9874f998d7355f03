using System.Text.RegularExpressions;
using DbIntegrity.Core.Rules;

namespace DbIntegrity.Core.Tests.Rules;

public sealed partial class ReadmeRulesTests
{
    [Test]
    public void The_README_rule_table_lists_every_rule_with_its_severity()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md"));
        var documented = RuleRow().Matches(readme).ToDictionary(m => m.Groups["id"].Value, m => m.Groups["severity"].Value);

        var catalog = RuleCatalog.Descriptors.ToDictionary(d => d.Id, d => d.Severity.ToString().ToLowerInvariant());

        Assert.That(documented, Is.EquivalentTo(catalog));
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

    [GeneratedRegex(@"^\| `(?<id>[a-z-]+)` \| (?<severity>error|warning|info) \|", RegexOptions.Multiline)]
    private static partial Regex RuleRow();
}
