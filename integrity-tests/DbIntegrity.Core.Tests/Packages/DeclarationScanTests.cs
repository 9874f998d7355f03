using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using DbIntegrity.Core.Packages;
using DbIntegrity.Core.Tests.Simulator;
using DbIntegrity.Simulator.Packages;

namespace DbIntegrity.Core.Tests.Packages;

/// <summary>
/// <see cref="DeclarationScan"/>, the reader's one-pass fast path, answers only for declarations that plainly decode
/// and leaves everything else to the document. These tests hold it to the document: thousands of variants of real
/// declarations (every value replaced by values of every JSON type, every key duplicated, re-cased, escaped or
/// removed) must read the same, error for error and asset for asset, with the fast path and without it.
/// </summary>
public sealed class DeclarationScanTests
{
    // Values put in place of each value in turn: every JSON type, and the shapes the reader looks into.
    private static readonly string[] Replacements =
    [
        "null", "5", "-1", "1.5", "9300000000000000000", "\"x\"", "\"\"", "true", "{}", "[]", "[\"a\"]", "[7]", "[null]", "[{}]",
        "{\"identity\":{\"name\":\"q\",\"icon\":\"z.svg\",\"icon_dark\":\"zd.svg\"}}", "{\"identity\":5}", "{\"en_US\":\"e.svg\",\"pt_BR\":3}",
        "\"2026-12-02\"", "\"2025-06-05T10:11:12Z\"", "\"2025-06-05T10:11:12\\u005A\"",
    ];

    // Text as Go writes it ('+' in a time as it is): the default encoder's \u002B would make every time an escaped one.
    private static readonly JsonSerializerOptions AsWritten = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static IEnumerable<TestCaseData> Declarations()
    {
        foreach (var category in Enum.GetValues<PluginCategory>())
        {
            yield return new TestCaseData(PackageBuilderTests.Build(category, iconDark: true).Declaration).SetArgDisplayNames($"{category} with dark icons");
            yield return new TestCaseData(PackageBuilderTests.Build(category, iconDark: false).Declaration).SetArgDisplayNames($"{category}");
        }

        yield return new TestCaseData(PackageBuilder.Build(new PackageSpec("langgenius", "bot", "0.1.0", PluginCategory.Tool) { WithEndpoints = true, Provider = "bot_tools" }).Declaration)
            .SetArgDisplayNames("a tool with endpoints");
        yield return new TestCaseData(ModelWithIcons()).SetArgDisplayNames("a model as Go writes it, with icons");
        yield return new TestCaseData("""
            {"author":"a","name":"n","version":"1.0.0","icon":"i.svg",
             "datasource":{"identity":{"name":"ds","icon":"ds.svg"},"datasources":[{"identity":{"icon":"one.svg"}},null,{"identity":{"icon":""}},{"identity":{"icon":"three.svg"}}]},
             "agent_strategy":{"identity":{"name":"as","icon":"as.svg","icon_dark":"asd.svg"}},"trigger":{"identity":{"icon":"t.svg"}}}
            """).SetArgDisplayNames("a datasource with items and other blocks");
    }

    // GoDeclarationTypesTests' declaration with icons in its model block (null, absent and present languages).
    private static string ModelWithIcons()
    {
        const string plain = "\"model\":{\"provider\":\"openai\"}";
        const string withIcons = "\"model\":{\"provider\":\"openai\",\"icon_small\":{\"en_US\":\"s.svg\",\"zh_Hans\":\"s_zh.svg\"},\"icon_large\":null,\"icon_small_dark\":{\"pt_BR\":\"d.svg\"}}";
        return GoDeclarationTypesTests.InstalledModel.Contains(plain, StringComparison.Ordinal)
            ? GoDeclarationTypesTests.InstalledModel.Replace(plain, withIcons, StringComparison.Ordinal)
            : throw new InvalidOperationException("GoDeclarationTypesTests.InstalledModel no longer has a plain model block to add icons to.");
    }

    [TestCaseSource(nameof(Declarations))]
    public void Answers_for_a_declaration_that_decodes_as_the_document_does(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);

        Assert.That(DeclarationScan.TryRead(bytes), Is.Not.Null, "the fast path left a plain declaration to the document");
        Assert.That(Describe(DeclarationReader.Read(bytes, fastPath: true)), Is.EqualTo(Describe(DeclarationReader.Read(bytes, fastPath: false))));
    }

    [TestCaseSource(nameof(Declarations))]
    public void Every_variant_reads_the_same_with_and_without_the_fast_path(string json) =>
        AssertSameWithAndWithoutFastPath(Variants(JsonNode.Parse(json)), answeredAtLeast: 0.2);

    // Keys the daemon's declaration has somewhere (top level, provider blocks, identities, model icons), inserted where
    // a declaration lacks them: the single-change variants above never add a key.
    private static readonly string[] DaemonKeys =
    [
        "author", "name", "version", "type", "label", "description", "icon", "icon_dark", "created_at", "resource", "plugins",
        "meta", "tags", "tool", "model", "endpoint", "agent_strategy", "datasource", "trigger", "identity", "provider",
        "icon_small", "icon_large", "icon_small_dark", "datasources", "tools", "repo", "verified", "en_US", "models",
        "agent_strategies", "triggers", "endpoints", "arch", "runner", "minimum_dify_version", "permission", "memory", "privacy",
    ];

    [TestCaseSource(nameof(Declarations))]
    public void Random_variants_with_several_changes_at_once_read_the_same_with_and_without_the_fast_path(string json) =>
        AssertSameWithAndWithoutFastPath(RandomVariants(json, count: 1500), answeredAtLeast: 0.1);

    // Every variant must read the same with and without the fast path, and the variants must exercise both sides:
    // many the fast path answers, many the document finds broken.
    private static void AssertSameWithAndWithoutFastPath(IEnumerable<string> variantTexts, double answeredAtLeast)
    {
        var differences = new List<string>();
        int variants = 0, answered = 0, errors = 0;
        foreach (var variant in variantTexts)
        {
            var bytes = Encoding.UTF8.GetBytes(variant);
            var document = DeclarationReader.Read(bytes, fastPath: false);
            var fast = DeclarationReader.Read(bytes, fastPath: true);
            variants++;
            answered += DeclarationScan.TryRead(bytes) is null ? 0 : 1;
            errors += document.IsReadable ? 0 : 1;
            if (Describe(fast) != Describe(document))
            {
                differences.Add($"{variant}\n  fast:     {Describe(fast)}\n  document: {Describe(document)}");
            }
        }

        Assert.That(differences, Is.Empty, $"{differences.Count} of {variants} variants differ; the first:\n{differences.FirstOrDefault()}");
        Assert.Multiple(() =>
        {
            Assert.That(answered, Is.GreaterThan(variants * answeredAtLeast), $"of {variants} variants the fast path answered {answered}");
            Assert.That(errors, Is.GreaterThan(variants / 10), $"of {variants} variants the document found {errors} broken");
        });
    }

    // Seeded, so a failure names a variant that fails again; each variant makes two to five changes anywhere in the
    // tree: a value replaced, a key removed, renamed to upper case, or one the declaration lacks inserted.
    private static IEnumerable<string> RandomVariants(string json, int count)
    {
        var random = new Random(20261203);
        for (var n = 0; n < count; n++)
        {
            var root = JsonNode.Parse(json)!;
            for (var changes = random.Next(2, 6); changes > 0;)
            {
                changes -= Change(root, random) ? 1 : 0;
            }

            yield return root.ToJsonString(AsWritten);
        }
    }

    // One change at a random object or array of the tree (the root included); false when the one drawn changed nothing
    // (a key already there, an empty array).
    private static bool Change(JsonNode root, Random random)
    {
        var containers = new List<JsonNode> { root };
        Containers(root, containers);
        switch (containers[random.Next(containers.Count)])
        {
            case JsonObject o when o.Count > 0 && random.Next(4) > 0:
                var key = o.ElementAt(random.Next(o.Count)).Key;
                switch (random.Next(3))
                {
                    case 0:
                        o[key] = JsonNode.Parse(Replacements[random.Next(Replacements.Length)]);
                        break;
                    case 1:
                        o.Remove(key);
                        break;
                    default:
                        var value = o[key]?.DeepClone();
                        o.Remove(key);
                        o[key.ToUpperInvariant()] = value;
                        break;
                }

                return true;
            case JsonObject o:
                var added = DaemonKeys[random.Next(DaemonKeys.Length)];
                if (o.ContainsKey(added))
                {
                    return false;
                }

                o[added] = JsonNode.Parse(Replacements[random.Next(Replacements.Length)]);
                return true;
            case JsonArray a when a.Count > 0:
                a[random.Next(a.Count)] = JsonNode.Parse(Replacements[random.Next(Replacements.Length)]);
                return true;
            default:
                return false;
        }
    }

    private static void Containers(JsonNode? node, List<JsonNode> containers)
    {
        IEnumerable<JsonNode?> children = node switch
        {
            JsonObject o => o.Select(member => member.Value),
            JsonArray a => a,
            _ => [],
        };
        foreach (var child in children)
        {
            if (child is JsonObject or JsonArray)
            {
                containers.Add(child);
                Containers(child, containers);
            }
        }
    }

    [TestCase("""{"author":"a","name":"n","version":"1.0.0","author":"b"}""", TestName = "a duplicated field the summary reads")]
    [TestCase("""{"Author":"a","author":"a","name":"n","version":"1.0.0"}""", TestName = "a field Go matches case-insensitively")]
    [TestCase("""{"auth\u006fr":"a","name":"n","version":"1.0.0"}""", TestName = "an escaped key")]
    [TestCase("""{"author":"a","name":"n","version":"1.0.0","créé":1}""", TestName = "a key beyond ASCII")]
    [TestCase("""{"author":"a","name":"n","version":"1.0.0","created_at":"2025-06-05T10:11:12\u005A"}""", TestName = "an escaped time")]
    [TestCase("""{"author":"a","name":"n","version":"1.0.0","tool":{"identity":{"name":"t"},"identity":{"name":"u"}}}""", TestName = "a duplicated identity")]
    public void Leaves_what_needs_the_documents_rules_to_the_document(string json) =>
        Assert.That(DeclarationScan.TryRead(Encoding.UTF8.GetBytes(json)), Is.Null);

    private static string Describe(DeclarationReadResult result) => result.Declaration is { } d
        ? $"{d.Author}|{d.Name}|{d.Version}|{d.Category}|{d.Provider}|{d.HasEndpoints}|{string.Join(',', d.Assets.Select(a => $"{a.Field}={a.AssetId}"))}"
        : $"error: {result.Error}";

    // Every value replaced by each replacement, every key duplicated (same value, then another), re-cased (with its value,
    // then with one Go refuses), escaped and removed.
    private static IEnumerable<string> Variants(JsonNode? root)
    {
        var paths = new List<string>();
        Collect(root, string.Empty, paths);
        foreach (var path in paths)
        {
            foreach (var replacement in Replacements)
            {
                yield return Write(root, string.Empty, path, Mutation.Replace, replacement);
            }

            if (!path.EndsWith(']'))
            {
                foreach (var mutation in new[] { Mutation.DuplicateSame, Mutation.DuplicateOther, Mutation.Upper, Mutation.UpperRefused, Mutation.Escape, Mutation.Remove })
                {
                    yield return Write(root, string.Empty, path, mutation, null);
                }
            }
        }
    }

    private enum Mutation
    {
        Replace,
        DuplicateSame,
        DuplicateOther,
        Upper,
        UpperRefused,
        Escape,
        Remove,
    }

    private static void Collect(JsonNode? node, string path, List<string> paths)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, value) in o)
                {
                    paths.Add($"{path}/{key}");
                    Collect(value, $"{path}/{key}", paths);
                }

                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    paths.Add($"{path}[{i}]");
                    Collect(a[i], $"{path}[{i}]", paths);
                }

                break;
        }
    }

    // Writes the tree as JSON, changing the one member or item at target.
    private static string Write(JsonNode? root, string path, string target, Mutation mutation, string? replacement)
    {
        var text = new StringBuilder();
        Write(root, path, target, mutation, replacement, text);
        return text.ToString();
    }

    private static void Write(JsonNode? node, string path, string target, Mutation mutation, string? replacement, StringBuilder text)
    {
        switch (node)
        {
            case JsonObject o:
                text.Append('{');
                var first = true;
                foreach (var (key, value) in o)
                {
                    var here = $"{path}/{key}";
                    var members = here != target ? [(Key(key), Value(value, here))] : mutation switch
                    {
                        Mutation.Replace => [(Key(key), replacement!)],
                        Mutation.DuplicateSame => [(Key(key), Value(value, here)), (Key(key), Value(value, here))],
                        Mutation.DuplicateOther => [(Key(key), Value(value, here)), (Key(key), "\"other\"")],
                        Mutation.Upper => [(Key(key.ToUpperInvariant()), Value(value, here))],
                        // A value no field of the daemon's struct accepts, under a key Go matches only case-insensitively.
                        Mutation.UpperRefused => [(Key(key.ToUpperInvariant()), "[{}]")],
                        Mutation.Escape => [($"\"\\u{(int)key[0]:x4}{key[1..]}\"", Value(value, here))],
                        _ => Array.Empty<(string, string)>(),
                    };
                    foreach (var (k, v) in members)
                    {
                        text.Append(first ? string.Empty : ",").Append(k).Append(':').Append(v);
                        first = false;
                    }
                }

                text.Append('}');
                break;
            case JsonArray a:
                text.Append('[');
                for (var i = 0; i < a.Count; i++)
                {
                    var here = $"{path}[{i}]";
                    text.Append(i == 0 ? string.Empty : ",").Append(here == target ? replacement : Value(a[i], here));
                }

                text.Append(']');
                break;
            default:
                text.Append(node?.ToJsonString(AsWritten) ?? "null");
                break;
        }

        string Value(JsonNode? value, string at) => Write(value, at, target, mutation, replacement);
    }

    private static string Key(string key) => JsonSerializer.Serialize(key, AsWritten);
}
