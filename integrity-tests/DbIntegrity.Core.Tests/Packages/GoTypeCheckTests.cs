using System.Text;
using System.Text.Json;
using DbIntegrity.Core.Packages;

namespace DbIntegrity.Core.Tests.Packages;

/// <summary>
/// <see cref="GoType.Check"/> finds a refused value without building paths or decoding keys, and builds the message
/// only afterwards. These tests hold it to the plain walk it replaced (every path built on the way down, every key
/// decoded and matched exactly, else case-insensitively): the same value refused, named by the same path, for a wrong
/// value at every leaf, keys in other cases, escaped and duplicated keys, and array items.
/// </summary>
public sealed class GoTypeCheckTests
{
    private static readonly Dictionary<string, string[]> Wrong = new(StringComparer.Ordinal)
    {
        ["string"] = ["5", "true", "{}", "[]"],
        ["bool"] = ["\"true\"", "1"],
        ["int64"] = ["\"512\"", "1.5", "9300000000000000000"],
        ["uint64"] = ["-1", "\"1024\""],
        ["time.Time"] = ["\"yesterday\"", "\"2026-12-02\"", "1700000000"],
        ["[]string"] = ["\"tools\"", "{}", "[\"a\",null,5]"],
        ["struct"] = ["\"x\"", "5", "[]"],
    };

    private static IEnumerable<TestCaseData> WrongLeaves() =>
        from leaf in GoDeclaration.Declaration.Leaves(string.Empty)
        from value in Wrong[Wrong.ContainsKey(leaf.Type.Name) ? leaf.Type.Name : "struct"]
        from keys in new[] { leaf.Path, leaf.Path.ToUpperInvariant(), Escaped(leaf.Path) }
        select new TestCaseData(Nest(keys, value)).SetArgDisplayNames(keys, value);

    [TestCaseSource(nameof(WrongLeaves))]
    public void A_wrong_value_at_any_leaf_is_refused_as_the_plain_walk_refuses_it(string json)
    {
        var expected = PlainWalk(json, string.Empty);

        Assert.That(expected, Is.Not.Null, "every case holds a value Go refuses");
        Assert.That(Check(json, string.Empty), Is.EqualTo(expected));
        Assert.That(Check(json, "declaration"), Is.EqualTo(PlainWalk(json, "declaration")));
    }

    [TestCase("""{"tags":["a"],"TAGS":"b"}""")]
    [TestCase("""{"TAGS":"b","tags":["a"]}""")]
    [TestCase("""{"Tags":["a","b",7]}""")]
    [TestCase("""{"\u0074ags":5}""")]
    [TestCase("""{"T\u0041GS":5}""")]
    [TestCase("""{"tag\u017F":5,"tagſ":5,"tags":["a"]}""")]
    [TestCase("""{"label":{"en_us":5}}""")]
    [TestCase("""{"plugins":{"tools":["a"],"Tools":[1]}}""")]
    [TestCase("""{"resource":{"memory":1,"permission":{"model":{"llm":true,"tts":"no"}}},"verified":"yes"}""")]
    [TestCase("""{"meta":{"arch":["amd64",null,3],"runner":{"Language":1}}}""")]
    [TestCase("""{"tool":{"identity":5},"TOOL":"x"}""")]
    [TestCase("""{"unknown":5,"version":null,"verified":true,"tags":[]}""")]
    public void Keys_in_any_case_escaped_or_repeated_are_matched_as_the_plain_walk_matches_them(string json)
    {
        Assert.That(Check(json, string.Empty), Is.EqualTo(PlainWalk(json, string.Empty)));
        Assert.That(Check(json, "declaration"), Is.EqualTo(PlainWalk(json, "declaration")));
    }

    // A time string without escapes is read from its raw bytes; written with its first character escaped, it is decoded
    // to a string first, as every time string was before. Both must be accepted or refused alike. The raw read has a
    // 64-character stack buffer: the two long cases fill it exactly and overflow it by one (a raw read of 65 characters
    // would lose the zone's last digit). Go takes any number of fraction digits and keeps nine, so both are accepted.
    [TestCase("2025-01-01T00:00:00Z", true)]
    [TestCase("2025-06-05T10:11:12.123456789+08:00", true)]
    [TestCase("2025-06-05t10:11:12z", true)]
    [TestCase("2025-13-01T00:00:00Z", false)]
    [TestCase("2025-01-01T24:00:00Z", false)]
    [TestCase("2025-01-01T23:59:60Z", false)]
    [TestCase("2025-01-01 00:00:00Z", false)]
    [TestCase("2025-06-05T10:11:12.12345678901234567890123456789012345678+08:00", true)]
    [TestCase("2025-06-05T10:11:12.123456789012345678901234567890123456789+08:00", true)]
    [TestCase("２０２５-01-01T00:00:00Z", false)]
    public void A_time_string_is_judged_the_same_raw_or_escaped(string text, bool accepted)
    {
        var raw = GoType.Time.Check(Parse(JsonSerializer.Serialize(text, RawText)), "t") is null;
        var escaped = GoType.Time.Check(Parse($"\"\\u{(int)text[0]:x4}{text[1..]}\""), "t") is null;

        Assert.That(raw, Is.EqualTo(escaped));
        Assert.That(raw, Is.EqualTo(accepted));
    }

    private static readonly JsonSerializerOptions RawText = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static string? Check(string json, string path)
    {
        using var document = JsonDocument.Parse(json);
        return GoDeclaration.Declaration.Check(document.RootElement, path);
    }

    private static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    // The walk Check did before it stopped building strings: the path of every value visited, every key decoded to a
    // string and matched to the first field equal to it, else the first equal ignoring case. The refused value's own
    // Check (a value of the wrong kind, so nothing below it to walk) gives the message.
    private static string? PlainWalk(string json, string path)
    {
        using var document = JsonDocument.Parse(json);
        return FirstRefused(GoDeclaration.Declaration, document.RootElement, path) is { } refused ? refused.Type.Check(refused.Value, refused.Path) : null;
    }

    private static (GoType Type, JsonElement Value, string Path)? FirstRefused(GoType type, JsonElement value, string path)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        switch (type)
        {
            case GoType.Scalar scalar when scalar.Accepts(value):
                return null;
            case GoType.Slice slice when value.ValueKind == JsonValueKind.Array:
                var i = 0;
                foreach (var item in value.EnumerateArray())
                {
                    if (FirstRefused(slice.Element, item, $"{path}[{i++}]") is { } refused)
                    {
                        return refused;
                    }
                }

                return null;
            case GoType.Struct goStruct when value.ValueKind == JsonValueKind.Object:
                foreach (var property in value.EnumerateObject())
                {
                    var field = goStruct.Fields.FirstOrDefault(f => f.Json == property.Name);
                    if (field.Type is null)
                    {
                        field = goStruct.Fields.FirstOrDefault(f => string.Equals(f.Json, property.Name, StringComparison.OrdinalIgnoreCase));
                    }

                    if (field.Type is not null
                        && FirstRefused(field.Type, property.Value, path.Length == 0 ? field.Json : $"{path}.{field.Json}") is { } refused)
                    {
                        return refused;
                    }
                }

                return null;
            default:
                return (type, value, path);
        }
    }

    // {"a":{"b":value}} for the path a.b, with a field every struct on the way accepts ahead of it.
    private static string Nest(string path, string value)
    {
        var json = new StringBuilder(value);
        foreach (var key in path.Split('.').Reverse())
        {
            json.Insert(0, $$"""{"unknown":1,"{{key}}":""").Append('}');
        }

        return json.ToString();
    }

    // Every key with its first letter written as a \u escape: the same names, which must not be read off the raw text.
    private static string Escaped(string path) =>
        string.Join('.', path.Split('.').Select(key => $"\\u{(int)key[0]:x4}{key[1..]}"));
}
