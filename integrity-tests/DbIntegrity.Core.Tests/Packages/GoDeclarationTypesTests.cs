using System.Text.Json.Nodes;
using DbIntegrity.Core.Packages;

namespace DbIntegrity.Core.Tests.Packages;

/// <summary>
/// The declaration reader agrees with Go's encoding/json filling the daemon's PluginDeclaration (issue 12 item 4): a
/// field of the wrong JSON type is a finding, what Go accepts (null, unknown fields, deep nesting) is not.
/// </summary>
public sealed class GoDeclarationTypesTests
{
    // The struct's field list, read off daemon 0.6.10 pkg/entities/plugin_entities/plugin_declaration.go (with
    // I18nObject from basic_type.go): JSON path -> Go type. Provider blocks are pointers to structs.
    private static readonly Dictionary<string, string> GoFields = new(StringComparer.Ordinal)
    {
        ["version"] = "string",
        ["type"] = "string",
        ["author"] = "string",
        ["name"] = "string",
        ["label.en_US"] = "string",
        ["label.ja_JP"] = "string",
        ["label.zh_Hans"] = "string",
        ["label.pt_BR"] = "string",
        ["description.en_US"] = "string",
        ["description.ja_JP"] = "string",
        ["description.zh_Hans"] = "string",
        ["description.pt_BR"] = "string",
        ["icon"] = "string",
        ["icon_dark"] = "string",
        ["resource.memory"] = "int64",
        ["resource.permission.tool.enabled"] = "bool",
        ["resource.permission.model.enabled"] = "bool",
        ["resource.permission.model.llm"] = "bool",
        ["resource.permission.model.text_embedding"] = "bool",
        ["resource.permission.model.rerank"] = "bool",
        ["resource.permission.model.tts"] = "bool",
        ["resource.permission.model.speech2text"] = "bool",
        ["resource.permission.model.moderation"] = "bool",
        ["resource.permission.node.enabled"] = "bool",
        ["resource.permission.endpoint.enabled"] = "bool",
        ["resource.permission.app.enabled"] = "bool",
        ["resource.permission.storage.enabled"] = "bool",
        ["resource.permission.storage.size"] = "uint64",
        ["plugins.tools"] = "[]string",
        ["plugins.models"] = "[]string",
        ["plugins.endpoints"] = "[]string",
        ["plugins.agent_strategies"] = "[]string",
        ["plugins.datasources"] = "[]string",
        ["plugins.triggers"] = "[]string",
        ["meta.version"] = "string",
        ["meta.arch"] = "[]string",
        ["meta.runner.language"] = "string",
        ["meta.runner.version"] = "string",
        ["meta.runner.entrypoint"] = "string",
        ["meta.minimum_dify_version"] = "string",
        ["tags"] = "[]string",
        ["created_at"] = "time.Time",
        ["privacy"] = "string",
        ["repo"] = "string",
        ["verified"] = "bool",
        ["endpoint"] = "plugin_entities.EndpointProviderDeclaration",
        ["model"] = "plugin_entities.ModelProviderDeclaration",
        ["tool"] = "plugin_entities.ToolProviderDeclaration",
        ["agent_strategy"] = "plugin_entities.AgentStrategyProviderDeclaration",
        ["datasource"] = "plugin_entities.DatasourceProviderDeclaration",
        ["trigger"] = "plugin_entities.TriggerProviderDeclaration",
    };

    // JSON values Go refuses for each Go type.
    private static readonly Dictionary<string, JsonNode?[]> Wrong = new(StringComparer.Ordinal)
    {
        ["string"] = [5, true, new JsonObject(), new JsonArray()],
        ["bool"] = ["true", 1],
        ["int64"] = ["512", 1.5, 9_300_000_000_000_000_000m, true],
        ["uint64"] = [-1, "1024", 2.5],
        ["time.Time"] = ["yesterday", "2026-12-02", 1_700_000_000],
        ["[]string"] = ["tools", new JsonObject(), new JsonArray(5)],
        ["struct"] = ["x", 5, new JsonArray()],
    };

    private static IEnumerable<TestCaseData> EveryFieldWithAWrongValue() =>
        from field in GoFields
        from value in Wrong[Wrong.ContainsKey(field.Value) ? field.Value : "struct"]
        select new TestCaseData(field.Key, value?.ToJsonString()).SetArgDisplayNames(field.Key, value?.ToJsonString() ?? "null");

    private static IEnumerable<string> FieldsGoLetBeNull() => GoFields.Keys.Where(k => k is not ("author" or "name" or "version"));

    [Test]
    public void The_reader_knows_exactly_the_fields_of_the_daemons_struct() =>
        Assert.That(GoDeclaration.Declaration.Leaves(string.Empty).ToDictionary(l => l.Path, l => l.Type.Name), Is.EquivalentTo(GoFields));

    [TestCaseSource(nameof(EveryFieldWithAWrongValue))]
    public void A_field_of_a_type_Go_refuses_is_unreadable_naming_the_field(string path, string value)
    {
        var result = DeclarationReader.Read(With(path, JsonNode.Parse(value)));

        Assert.That(result.IsReadable, Is.False, $"{path} = {value}");
        Assert.That(result.Error, Does.Contain(path));
    }

    [TestCaseSource(nameof(FieldsGoLetBeNull))]
    public void Null_in_any_field_is_what_Go_reads_as_the_zero_value(string path)
    {
        var result = DeclarationReader.Read(With(path, null));

        Assert.That(result.IsReadable, Is.True, result.Error);
    }

    [TestCase("""{"plugins":"tools"}""", "plugins")]
    [TestCase("""{"label":"x"}""", "label")]
    [TestCase("""{"meta":5}""", "meta")]
    [TestCase("""{"Plugins":"tools"}""", "plugins")]
    [TestCase("""{"tags":["a"],"TAGS":"b"}""", "tags")]
    public void The_cases_of_the_fault_injection_run_and_Gos_case_insensitive_keys_are_unreadable(string fields, string path)
    {
        var json = """{"author":"a","name":"n","version":"1.0.0",""" + fields[1..];

        var result = DeclarationReader.Read(json);

        Assert.That(result.IsReadable, Is.False);
        Assert.That(result.Error, Does.Contain(path).And.Contain("encoding/json"));
    }

    /// <summary>A model plugin's declaration as the daemon's Go code writes it: every field of its struct, nulls where Go leaves them.</summary>
    internal const string InstalledModel = """
        {"version":"0.2.8","type":"plugin","author":"langgenius","name":"openai","label":{"en_US":"OpenAI","zh_Hans":"OpenAI"},
         "description":{"en_US":"Models"},"icon":"a.svg","icon_dark":"","resource":{"memory":268435456,"permission":{"tool":{"enabled":true},
         "model":{"enabled":true,"llm":true,"text_embedding":false,"rerank":false,"tts":false,"speech2text":false,"moderation":false},
         "storage":{"enabled":true,"size":1048576}}},"plugins":{"tools":null,"models":["provider/openai.yaml"],"endpoints":null,
         "agent_strategies":null,"datasources":null,"triggers":null},"meta":{"version":"0.0.1","arch":["amd64","arm64"],
         "runner":{"language":"python","version":"3.12","entrypoint":"main"},"minimum_dify_version":null},"tags":["search"],
         "created_at":"2025-06-05T10:11:12.123456789+08:00","privacy":"PRIVACY.md","verified":true,"model":{"provider":"openai"},
         "unknown_extra":{"any":["thing",1,{"x":null}]}}
        """;

    [Test]
    public void A_declaration_Go_writes_for_an_installed_plugin_is_readable()
    {
        var result = DeclarationReader.Read(InstalledModel);

        Assert.That(result.IsReadable, Is.True, result.Error);
    }

    [TestCase(500)]
    [TestCase(1_000)]
    [TestCase(9_990)]
    public void An_unknown_field_nested_as_deep_as_Go_accepts_is_readable(int depth)
    {
        var result = DeclarationReader.Read(Nested(depth));

        Assert.That(result.IsReadable, Is.True, result.Error);
    }

    [Test]
    public void Nesting_deeper_than_Gos_limit_of_10000_is_unreadable() =>
        Assert.That(DeclarationReader.Read(Nested(10_050)).IsReadable, Is.False);

    // The declaration object is depth 1; an unknown field of depth - 1 nested arrays takes it to depth.
    private static string Nested(int depth) =>
        """{"author":"a","name":"n","version":"1.0.0","extra":""" + new string('[', depth - 1) + new string(']', depth - 1) + "}";

    private static string With(string path, JsonNode? value)
    {
        var declaration = new JsonObject { ["author"] = "a", ["name"] = "n", ["version"] = "1.0.0" };
        var parts = path.Split('.');
        var parent = declaration;
        foreach (var part in parts[..^1])
        {
            parent = (JsonObject)(parent[part] ??= new JsonObject());
        }

        parent[parts[^1]] = value;
        return declaration.ToJsonString();
    }
}
