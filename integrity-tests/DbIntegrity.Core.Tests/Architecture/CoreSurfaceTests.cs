using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using DbIntegrity.Core.Wording;

namespace DbIntegrity.Core.Tests.Architecture;

/// <summary>
/// Core is the engine, not the command: its texts name the action (<see cref="NextStep"/>, <see cref="UserOption"/>)
/// and the CLI names the command; it opens its internals to its test assemblies only.
/// </summary>
public sealed partial class CoreSurfaceTests
{
    private static readonly Assembly Core = typeof(HostWords).Assembly;

    [Test]
    public void Core_texts_name_no_command_and_no_flag_of_the_cli()
    {
        // Given every string literal compiled into Core (each piece of an interpolated string is one).
        var literals = UserStrings(Core.Location);

        // When they are searched for the CLI's words.
        var offending = literals.Where(s => CliCommand().IsMatch(s) || CliFlag().IsMatch(s)).ToList();

        // Then none names a dbintegrity command or a --flag: Core writes a placeholder the CLI fills.
        Assert.That(literals, Has.Count.GreaterThan(100), "the user-string heap was not read");
        Assert.That(offending, Is.Empty, "Core names the action (HostWords.Of(NextStep.…) or HostWords.Of(UserOption.…)), the CLI names the command");
    }

    [TestCase("Make a new plan with: dbintegrity repair plan", true)]
    [TestCase("Run dbintegrity migrate status.", true)]
    [TestCase("not recorded (--no-record).", true)]
    [TestCase("(--deep) A referenced package is not a zip", true)]
    [TestCase("a newer dbintegrity may know that release; dbintegrity checks PostgreSQL", false)]
    [TestCase("-- Run it against that database: psql -v ON_ERROR_STOP=1 -f restore.sql", false)]
    public void The_search_finds_cli_words_and_only_them(string text, bool found) =>
        Assert.That(CliCommand().IsMatch(text) || CliFlag().IsMatch(text), Is.EqualTo(found));

    [Test]
    public void Core_opens_its_internals_to_test_assemblies_only()
    {
        var friends = Core.GetCustomAttributes<InternalsVisibleToAttribute>().Select(a => a.AssemblyName).ToList();

        Assert.That(friends, Is.SubsetOf(new[] { "DbIntegrity.Core.Tests", "DbIntegrity.IntegrationTests" }),
            "the CLI, the simulator and the benchmark use Core's public surface; make what they need public instead");
    }

    private static List<string> UserStrings(string path)
    {
        using var stream = File.OpenRead(path);
        using var pe = new PEReader(stream);
        var reader = pe.GetMetadataReader();
        var strings = new List<string>();
        if (reader.GetHeapSize(HeapIndex.UserString) <= 1)
        {
            return strings;
        }

        for (var handle = MetadataTokens.UserStringHandle(1); !handle.IsNil; handle = reader.GetNextHandle(handle))
        {
            strings.Add(reader.GetUserString(handle));
        }

        return strings;
    }

    [GeneratedRegex(@"\bdbintegrity (check|gate|serve|repair|backup|restore|reproduce|migrate|version)\b")]
    private static partial Regex CliCommand();

    [GeneratedRegex(@"(?<![\w-])--[a-z][a-z0-9]*(-[a-z0-9]+)*\b")]
    private static partial Regex CliFlag();
}
