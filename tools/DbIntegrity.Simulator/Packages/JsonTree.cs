using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace DbIntegrity.Simulator.Packages;

/// <summary>Small helpers to write declaration trees in the daemon's key order, and to serialise them as Go does.</summary>
internal static class JsonTree
{
    // Go's encoding/json leaves non-ASCII text as UTF-8, like the relaxed encoder. (Go also escapes <, > and &; the
    // generated packages use none of them in JSON strings.)
    private static readonly JsonSerializerOptions GoLike = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, WriteIndented = false };

    public static JsonObject Object(params (string Key, JsonNode? Value)[] properties)
    {
        var result = new JsonObject();
        foreach (var (key, value) in properties)
        {
            result[key] = value;
        }

        return result;
    }

    public static JsonArray Array(params JsonNode?[] items) => new(items);

    public static JsonArray Strings(IEnumerable<string> items) => new(items.Select(i => (JsonNode?)JsonValue.Create(i)).ToArray());

    /// <summary>An <c>I18nObject</c>: Go field order en_US, ja_JP, zh_Hans, pt_BR.</summary>
    public static JsonObject I18n(string text) =>
        Object(("en_US", text), ("ja_JP", text), ("zh_Hans", text), ("pt_BR", text));

    public static string Serialize(JsonNode node) => node.ToJsonString(GoLike);
}
