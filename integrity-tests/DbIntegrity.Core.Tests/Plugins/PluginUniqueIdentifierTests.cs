using DbIntegrity.Core.Plugins;

namespace DbIntegrity.Core.Tests.Plugins;

public sealed class PluginUniqueIdentifierTests
{
    private const string Sha = "7f1c9a3c5d0e4b2a8f6e1d3c5b7a9e0f2d4c6b8a0e2f4d6c8b0a2e4f6d8c0b2a";

    [TestCase("langgenius/openai:0.2.7@" + Sha, "langgenius", "openai", "0.2.7")]
    [TestCase("openai:0.2.7@" + Sha, "", "openai", "0.2.7")]
    [TestCase("a-b_c/x_y-z:1.2@" + Sha, "a-b_c", "x_y-z", "1.2")]
    [TestCase("a/b:1.2.3.4@" + Sha, "a", "b", "1.2.3.4")]
    [TestCase("a/b:1.2.3-beta_1@" + Sha, "a", "b", "1.2.3-beta_1")]
    [TestCase("a/b:1.2.3@0123456789abcdef0123456789abcdef", "a", "b", "1.2.3")]
    public void Parse_accepts_what_the_daemon_accepts(string value, string author, string name, string version)
    {
        var identifier = PluginUniqueIdentifier.Parse(value);

        Assert.Multiple(() =>
        {
            Assert.That(identifier.Author, Is.EqualTo(author));
            Assert.That(identifier.Name, Is.EqualTo(name));
            Assert.That(identifier.Version, Is.EqualTo(version));
            Assert.That(identifier.Value, Is.EqualTo(value));
            Assert.That(identifier.PluginId, Is.EqualTo(author.Length == 0 ? name : $"{author}/{name}"));
            Assert.That(identifier.IsPluginId(identifier.PluginId), Is.True);
            Assert.That(identifier.Checksum, Is.EqualTo(value[(value.IndexOf('@', StringComparison.Ordinal) + 1)..]));
        });
    }

    [TestCase("langgenius/openai", true)]
    [TestCase("langgenius/openai ", false)]
    [TestCase("langgenius/open", false)]
    [TestCase("langgenius/openai:0.2.7", false)]
    [TestCase("Langgenius/openai", false)]
    [TestCase("openai", false)]
    [TestCase("", false)]
    [TestCase(null, false)]
    public void IsPluginId_compares_with_the_author_and_name_ordinally(string? pluginId, bool expected) =>
        Assert.That(PluginUniqueIdentifier.Parse("langgenius/openai:0.2.7@" + Sha).IsPluginId(pluginId), Is.EqualTo(expected));

    [Test]
    public void IsPluginId_of_an_identifier_without_an_author_is_its_name() =>
        Assert.That(
            (PluginUniqueIdentifier.Parse("openai:0.2.7@" + Sha).IsPluginId("openai"), PluginUniqueIdentifier.Parse("openai:0.2.7@" + Sha).IsPluginId("/openai")),
            Is.EqualTo((true, false)));

    [TestCase("", TestName = "empty (the folder marker plugin/ itself)")]
    [TestCase("langgenius/", TestName = "folder marker langgenius/")]
    [TestCase("langgenius/email_0.0.7@" + Sha, TestName = "colon mangled to underscore (dify#22741)")]
    [TestCase("/langgenius/openai:0.2.7@" + Sha, TestName = "leading slash (daemon#395)")]
    [TestCase("LangGenius/openai:0.2.7@" + Sha, TestName = "uppercase author")]
    [TestCase("langgenius/openai:0.2.7@" + "7F1C9A3C5D0E4B2A8F6E1D3C5B7A9E0F", TestName = "uppercase checksum")]
    [TestCase("langgenius/openai:0.2.7@abc", TestName = "checksum too short")]
    [TestCase("langgenius/openai:1@" + Sha, TestName = "one version component")]
    [TestCase("langgenius/openai:1.2.3.4.5@" + Sha, TestName = "five version components")]
    [TestCase("langgenius/openai:12345.1@" + Sha, TestName = "version part of five digits")]
    [TestCase("langgenius/openai:0.2.7@" + Sha + "\n", TestName = "trailing newline (.NET $ would accept it)")]
    [TestCase("langgenius/openai:0.2.7-bétà@" + Sha, TestName = "non-ASCII word characters in the suffix (Go's \\w is ASCII)")]
    [TestCase("langgenius/openai:0.2.7-abcdefghijklmnopq@" + Sha, TestName = "suffix longer than 16")]
    [TestCase("a/b/c:1.0.0@" + Sha, TestName = "two slashes")]
    public void TryParse_rejects_what_the_daemon_rejects(string value)
    {
        Assert.That(PluginUniqueIdentifier.TryParse(value, out _), Is.False);
    }

    [Test]
    public void TryParse_rejects_null()
    {
        Assert.That(PluginUniqueIdentifier.TryParse(null, out _), Is.False);
    }

    [Test]
    public void Parse_names_the_input_like_the_daemon_error()
    {
        var ex = Assert.Throws<FormatException>(() => PluginUniqueIdentifier.Parse("langgenius/"));
        Assert.That(ex!.Message, Is.EqualTo("plugin_unique_identifier is not valid: langgenius/"));
    }

    [Test]
    public void Name_length_limits_match_the_daemon()
    {
        var longest = new string('a', 255);
        var tooLong = new string('a', 256);
        var author64 = new string('b', 64);
        var author65 = new string('b', 65);
        Assert.Multiple(() =>
        {
            Assert.That(PluginUniqueIdentifier.TryParse($"{author64}/{longest}:1.0.0@{Sha}", out _), Is.True);
            Assert.That(PluginUniqueIdentifier.TryParse($"x/{tooLong}:1.0.0@{Sha}", out _), Is.False);
            Assert.That(PluginUniqueIdentifier.TryParse($"{author65}/x:1.0.0@{Sha}", out _), Is.False);
        });
    }

    [Test]
    public void Create_builds_the_identifier_from_its_parts()
    {
        Assert.That(PluginUniqueIdentifier.Create("langgenius", "openai", "0.2.7", Sha).Value, Is.EqualTo($"langgenius/openai:0.2.7@{Sha}"));
    }
    [Test]
    public void TryParse_agrees_with_the_daemon_regex_on_generated_strings()
    {
        // TryParse is a hand-written scan; the daemon's regex (ported) is the reference. Strings are built from the
        // pattern's parts with random lengths and random single-character edits around every limit.
        var random = new Random(20261202);
        const string alphabet = "abcfgz09_-/:.@AZé\n";
        var disagreements = new List<string>();
        var accepted = 0;
        for (var n = 0; n < 200_000; n++)
        {
            var value = Generate(random);
            if (random.Next(3) == 0)
            {
                var chars = value.ToCharArray();
                chars[random.Next(chars.Length)] = alphabet[random.Next(alphabet.Length)];
                value = new string(chars);
            }

            var expected = PluginUniqueIdentifier.MatchesDaemonRegex(value);
            var actual = PluginUniqueIdentifier.TryParse(value, out var parsed);
            accepted += actual ? 1 : 0;
            if (actual != expected || (parsed is not null && parsed.Value != value))
            {
                disagreements.Add(value);
            }
        }

        Assert.Multiple(() =>
        {
            Assert.That(disagreements, Is.Empty);
            // Both outcomes are exercised, not only rejections.
            Assert.That(accepted, Is.InRange(5_000, 195_000));
        });
    }

    private static string Generate(Random random)
    {
        static string Run(Random random, string chars, int min, int max) =>
            new([.. Enumerable.Range(0, random.Next(min, max + 1)).Select(_ => chars[random.Next(chars.Length)])]);

        const string nameChars = "abcxyz0189_-";
        var author = random.Next(4) switch
        {
            0 => string.Empty,
            1 => Run(random, nameChars, 0, 66) + "/",
            _ => Run(random, nameChars, 1, 8) + "/",
        };
        var name = random.Next(8) == 0 ? Run(random, nameChars, 250, 257) : Run(random, nameChars, 0, 10);
        var version = string.Join('.', Enumerable.Range(0, random.Next(1, 6)).Select(_ => Run(random, "0123456789", 0, 5)));
        var suffix = random.Next(3) == 0 ? "-" + Run(random, "aZ09_", 0, 17) : string.Empty;
        var checksum = Run(random, "0123456789abcdef", 30, 66);
        return $"{author}{name}:{version}{suffix}@{checksum}";
    }
}
