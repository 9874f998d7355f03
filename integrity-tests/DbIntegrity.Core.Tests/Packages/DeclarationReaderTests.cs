using System.Text.Json.Nodes;
using DbIntegrity.Core.Packages;
using DbIntegrity.Core.Tests.Simulator;
using DbIntegrity.Simulator.Packages;

namespace DbIntegrity.Core.Tests.Packages;

public sealed class DeclarationReaderTests
{
    private static IEnumerable<PluginCategory> Categories => Enum.GetValues<PluginCategory>();

    [TestCaseSource(nameof(Categories))]
    public void Reads_back_what_the_builder_wrote(PluginCategory category)
    {
        var package = PackageBuilderTests.Build(category, iconDark: true);

        var result = DeclarationReader.Read(package.Declaration);

        Assert.That(result.IsReadable, Is.True, result.Error);
        var declaration = result.Declaration!;
        Assert.Multiple(() =>
        {
            Assert.That(declaration.Author, Is.EqualTo("langgenius"));
            Assert.That(declaration.Name, Is.EqualTo("demo"));
            Assert.That(declaration.Version, Is.EqualTo("1.2.3"));
            Assert.That(declaration.PluginId, Is.EqualTo(package.PluginId));
            Assert.That(declaration.Category, Is.EqualTo(category));
            Assert.That(declaration.Provider, Is.EqualTo(package.Provider));
            Assert.That(declaration.HasEndpoints, Is.EqualTo(category == PluginCategory.Extension));
            Assert.That(declaration.AssetIds, Is.EquivalentTo(package.Assets.Keys));
        });
    }

    [Test]
    public void A_tool_with_endpoints_is_a_tool_with_an_endpoint_block()
    {
        var package = PackageBuilder.Build(new PackageSpec("langgenius", "bot", "0.1.0", PluginCategory.Tool) { WithEndpoints = true, Provider = "bot_tools" });

        var declaration = DeclarationReader.Read(package.Declaration).Declaration!;

        Assert.Multiple(() =>
        {
            Assert.That(declaration.Category, Is.EqualTo(PluginCategory.Tool));
            Assert.That(declaration.Provider, Is.EqualTo("bot_tools"));
            Assert.That(declaration.HasEndpoints, Is.True);
        });
    }

    private static IEnumerable<TestCaseData> Texts()
    {
        var tool = PackageBuilderTests.Build(PluginCategory.Tool, iconDark: true).Declaration;
        var model = PackageBuilderTests.Build(PluginCategory.Model, iconDark: false).Declaration;
        yield return new TestCaseData(tool).SetName("a tool as the daemon stores it");
        yield return new TestCaseData(model).SetName("a model as the daemon stores it");
        yield return new TestCaseData(" \r\n\t" + tool + "\n").SetName("JSON whitespace around it");
        yield return new TestCaseData(tool.Replace("\"demo\"", @"""d\u00e9mo \ud83d\ude00""", StringComparison.Ordinal)).SetName("an escaped pair and an escaped accent");
        yield return new TestCaseData(tool.Replace("\"demo\"", @"""d\ud83dmo""", StringComparison.Ordinal)).SetName("a lone escaped surrogate, read as U+FFFD");
        yield return new TestCaseData(tool.Replace("\"demo\"", @"""d\\ud83dmo""", StringComparison.Ordinal)).SetName("an escaped backslash before ud83d");
        yield return new TestCaseData(tool.Replace("\"demo\"", "\"démo 😀\"", StringComparison.Ordinal)).SetName("characters beyond ASCII as they are");
        yield return new TestCaseData("\u00a0" + tool).SetName("a no-break space before it");
        yield return new TestCaseData("\ufeff" + tool).SetName("a byte order mark before it");
        yield return new TestCaseData(string.Empty).SetName("empty");
        yield return new TestCaseData(" \n ").SetName("only whitespace");
        yield return new TestCaseData("\u2003").SetName("only a Unicode space");
        yield return new TestCaseData("{\"author\": ").SetName("cut off");
        yield return new TestCaseData("[1, 2]").SetName("an array");
        yield return new TestCaseData(new string('[', 70) + new string(']', 70)).SetName("nested deeper than System.Text.Json's default");
    }

    [TestCaseSource(nameof(Texts))]
    public void Reading_the_UTF8_bytes_gives_what_reading_the_text_gives(string json)
    {
        var fromText = DeclarationReader.Read(json);
        var fromBytes = DeclarationReader.Read(System.Text.Encoding.UTF8.GetBytes(json));

        Assert.That(Describe(fromBytes), Is.EqualTo(Describe(fromText)));
    }

    [TestCaseSource(nameof(Texts))]
    public void Bytes_in_a_reused_buffer_read_the_same_and_nothing_read_depends_on_them_afterwards(string json)
    {
        // As the pass reads them: a slice in the middle of a larger buffer (TextSlabs), written again once read.
        var utf8 = System.Text.Encoding.UTF8.GetBytes(json);
        var buffer = new byte[utf8.Length + 64];
        buffer.AsSpan().Fill((byte)'x');
        utf8.CopyTo(buffer, 32);

        var result = DeclarationReader.Read(buffer.AsMemory(32, utf8.Length));
        var described = Describe(result);
        buffer.AsSpan().Fill((byte)'#');

        Assert.Multiple(() =>
        {
            Assert.That(described, Is.EqualTo(Describe(DeclarationReader.Read(json))));
            Assert.That(Describe(result), Is.EqualTo(described), "the result is unchanged after its buffer is overwritten");
        });
    }

    [Test]
    public void Bytes_that_are_not_UTF8_read_as_the_daemon_would_decode_them()
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(PackageBuilderTests.Build(PluginCategory.Tool, iconDark: false).Declaration.Replace("\"demo\"", "\"d#mo\"", StringComparison.Ordinal));
        bytes[Array.IndexOf(bytes, (byte)'#')] = 0xFF;

        var result = DeclarationReader.Read(bytes);

        Assert.That(Describe(result), Is.EqualTo(Describe(DeclarationReader.Read(System.Text.Encoding.UTF8.GetString(bytes)))));
        Assert.That(result.Declaration?.Name, Is.EqualTo("d\ufffdmo"));
    }

    private static string Describe(DeclarationReadResult result) => result.Declaration is { } d
        ? $"{d.Author}|{d.Name}|{d.Version}|{d.Category}|{d.Provider}|{d.HasEndpoints}|{string.Join(',', d.AssetIds)}"
        : $"error: {result.Error}";

    [Test]
    public void A_lone_surrogate_character_in_the_text_is_a_finding_not_an_exception()
    {
        var result = DeclarationReader.Read("{\"author\":\"a\ud800\",\"name\":\"n\",\"version\":\"0.0.1\"}");

        Assert.That(result.Error, Does.StartWith("the declaration holds text that is not valid Unicode"));
    }

    [Test]
    public void Reports_each_icon_with_the_field_that_holds_it()
    {
        var json = """
            {"author":"a","name":"n","version":"1.0.0","icon":"i.svg","icon_dark":"",
             "model":{"provider":"p","icon_small":{"en_US":"s.svg","zh_Hans":"s_zh.svg"},"icon_large":null,"icon_small_dark":{"pt_BR":"d.svg"}},
             "datasource":{"identity":{"name":"ds","icon":"ds.svg"},"datasources":[{"identity":{"icon":"one.svg"}},{"identity":{"icon":""}}]}}
            """;

        var declaration = DeclarationReader.Read(json).Declaration!;

        Assert.That(declaration.Assets, Is.EqualTo(new[]
        {
            new DeclaredAsset("icon", "i.svg"),
            new DeclaredAsset("datasource.identity.icon", "ds.svg"),
            new DeclaredAsset("datasource.datasources[0].identity.icon", "one.svg"),
            new DeclaredAsset("model.icon_small.en_US", "s.svg"),
            new DeclaredAsset("model.icon_small.zh_Hans", "s_zh.svg"),
            new DeclaredAsset("model.icon_small_dark.pt_BR", "d.svg"),
        }));
        Assert.That(declaration.Category, Is.EqualTo(PluginCategory.Model), "tool, model, datasource, agent_strategy, trigger: Go's order");
    }

    [Test]
    public void Icons_outside_the_remapped_fields_are_not_assets()
    {
        var json = """{"author":"a","name":"n","version":"1.0.0","icon":"i.svg","tool":{"identity":{"name":"t","icon":"t.svg"},"tools":[{"identity":{"icon":"not-remapped.svg"}}]}}""";

        var declaration = DeclarationReader.Read(json).Declaration!;

        Assert.That(declaration.AssetIds, Is.EqualTo(new[] { "i.svg", "t.svg" }));
    }

    [Test]
    public void A_category_listed_in_plugins_without_its_block_has_no_provider()
    {
        var json = """{"author":"a","name":"n","version":"1.0.0","plugins":{"tools":["provider/n.yaml"],"models":null}}""";

        var declaration = DeclarationReader.Read(json).Declaration!;

        Assert.Multiple(() =>
        {
            Assert.That(declaration.Category, Is.EqualTo(PluginCategory.Tool));
            Assert.That(declaration.Provider, Is.Null);
        });
    }

    [Test]
    public void An_empty_author_is_allowed_and_gives_a_bare_plugin_id()
    {
        var declaration = DeclarationReader.Read("""{"author":"","name":"n","version":"1.0.0"}""").Declaration!;

        Assert.Multiple(() =>
        {
            Assert.That(declaration.PluginId, Is.EqualTo("n"));
            Assert.That(declaration.Category, Is.EqualTo(PluginCategory.Extension));
            Assert.That(declaration.Provider, Is.Null);
        });
    }

    [TestCase(null, "the declaration is empty")]
    [TestCase("", "the declaration is empty")]
    [TestCase("{\"author\":", "not valid JSON")]
    [TestCase("[1,2]", "is an array, expected a JSON object")]
    [TestCase("\"text\"", "is a string, expected a JSON object")]
    [TestCase("null", "is null, expected a JSON object")]
    [TestCase("""{"name":"n","version":"1.0.0"}""", "author is missing")]
    [TestCase("""{"author":"a","version":"1.0.0"}""", "name is missing")]
    [TestCase("""{"author":"a","name":"","version":"1.0.0"}""", "name is empty")]
    [TestCase("""{"author":"a","name":"n","version":1}""", "version is a number, expected a string")]
    [TestCase("""{"author":"a","name":"n","version":"1.0.0","tool":"x"}""", "tool is a string, expected an object")]
    [TestCase("""{"author":"a","name":"n","version":"1.0.0","tool":{}}""", "tool.identity is null, expected an object")]
    [TestCase("""{"author":"a","name":"n","version":"1.0.0","tool":{"identity":{}}}""", "tool.identity.name is missing")]
    [TestCase("""{"author":"a","name":"n","version":"1.0.0","model":{"label":{}}}""", "model.provider is missing")]
    [TestCase("""{"author":"a","name":"n","version":"1.0.0","datasource":{"identity":{"name":""}}}""", "datasource.identity.name is empty")]
    [TestCase("""{"author":"a","name":"n","version":"1.0.0","agent_strategy":{"identity":{"name":5}}}""", "agent_strategy.identity.name is a number, expected a string")]
    [TestCase("""{"author":"a","name":"n","version":"1.0.0","trigger":{"identity":{}}}""", "trigger.identity.name is missing")]
    [TestCase("""{"author":"a","name":"n","version":"1.0.0","trigger":{"identity":{"name":"t","icon_dark":[]}}}""", "trigger.identity.icon_dark is an array, expected a string")]
    [TestCase("""{"author":"a","name":"n","version":"1.0.0","model":{"provider":"p","icon_large_dark":{"ja_JP":true}}}""", "model.icon_large_dark.ja_JP is a boolean, expected a string")]
    [TestCase("""{"author":"a","name":"n","version":"1.0.0","icon":42}""", "icon is a number, expected a string")]
    [TestCase("""{"author":"a","name":"n","version":"1.0.0","model":{"provider":"p","icon_small":"s.svg"}}""", "model.icon_small is a string, expected an object")]
    [TestCase("""{"author":"a","name":"n","version":"1.0.0","datasource":{"identity":{"name":"d"},"datasources":[7]}}""", "datasource.datasources[0] is a number, expected an object")]
    public void Returns_an_error_naming_the_problem_instead_of_throwing(string? json, string expected)
    {
        var result = DeclarationReader.Read(json);

        Assert.Multiple(() =>
        {
            Assert.That(result.IsReadable, Is.False);
            Assert.That(result.Declaration, Is.Null);
            Assert.That(result.Error, Does.Contain(expected));
        });
    }

    [Test]
    public void A_duplicated_key_is_read_as_Go_reads_it_the_last_one_wins()
    {
        // Go's encoding/json accepts duplicate keys and keeps the last value, so the daemon reads this declaration
        // without error; reporting it as broken would be a false finding.
        var result = DeclarationReader.Read("""{"author":"a","name":"n","version":"1.0.0","author":"b"}""");

        Assert.That(result.Declaration?.Author, Is.EqualTo("b"));
    }

    [TestCase(@"\ud83d", "\uFFFD")]
    [TestCase(@"\udc00x", "\uFFFDx")]
    [TestCase(@"a\ud83d\u0041", "a\uFFFDA")]
    [TestCase(@"\ud83d\ude00", "\U0001F600")]
    public void A_lone_escaped_surrogate_is_read_as_Go_reads_it_a_replacement_character(string escaped, string expected)
    {
        // Go's encoding/json replaces an invalid surrogate with U+FFFD instead of failing, so the daemon reads this
        // declaration; System.Text.Json's GetString throws on it, which used to crash the whole scan.
        var result = DeclarationReader.Read($$"""{"author":"a","name":"{{escaped}}","version":"1.0.0","icon":"{{escaped}}.svg"}""");

        Assert.That(result.IsReadable, Is.True, result.Error);
        Assert.That(result.Declaration!.Name, Is.EqualTo(expected));
        Assert.That(result.Declaration.AssetIds, Is.EquivalentTo(new[] { expected + ".svg" }));
    }

    [Test]
    public void A_lone_surrogate_in_a_key_does_not_stop_the_reader()
    {
        var result = DeclarationReader.Read("""{"\ud83d":1,"author":"a","name":"n","version":"1.0.0","tool":{"\udc00":"x","identity":{"name":"p"}}}""");

        Assert.That(result.Declaration?.Provider, Is.EqualTo("p"), result.Error);
    }

    [Test]
    public void Reads_the_remote_declaration_of_a_debugging_plugin_the_same_way()
    {
        var package = PackageBuilderTests.Build(PluginCategory.Trigger);
        var remote = JsonNode.Parse(package.Declaration)!.AsObject();

        var declaration = DeclarationReader.Read(remote.ToJsonString()).Declaration!;

        Assert.That(declaration.Provider, Is.EqualTo("demo"));
    }
}
