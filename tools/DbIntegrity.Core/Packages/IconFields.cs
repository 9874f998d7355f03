using System.Text.Json;
using System.Text.Json.Nodes;

namespace DbIntegrity.Core.Packages;

/// <summary>
/// The declaration fields that hold icons, exactly those <c>RemapAssets</c> rewrites to asset ids at upload
/// (reference §6.2, <c>media_transport/assets.go</c>). The builder uses it to remap, the reader to collect.
/// </summary>
internal static class IconFields
{
    private static readonly string[] ModelIcons = ["icon_small", "icon_large", "icon_small_dark", "icon_large_dark"];
    private static readonly string[] ModelLanguages = ["en_US", "zh_Hans", "ja_JP", "pt_BR"];

    /// <summary>
    /// Calls <paramref name="visit"/> with the path and value of every non-empty icon field; a non-null return value
    /// replaces the field. Returns an error naming the first field whose JSON type is wrong, or null.
    /// </summary>
    public static string? Visit(JsonObject declaration, Func<string, string, string?> visit)
    {
        var walker = new Walker(visit);
        walker.String(declaration, "icon", "icon");
        walker.String(declaration, "icon_dark", "icon_dark");
        foreach (var block in new[] { "tool", "agent_strategy", "trigger" })
        {
            if (walker.Object(declaration, block, block) is { } provider
                && walker.Object(provider, "identity", $"{block}.identity") is { } identity)
            {
                walker.String(identity, "icon", $"{block}.identity.icon");
                walker.String(identity, "icon_dark", $"{block}.identity.icon_dark");
            }
        }

        if (walker.Object(declaration, "datasource", "datasource") is { } datasource)
        {
            if (walker.Object(datasource, "identity", "datasource.identity") is { } identity)
            {
                walker.String(identity, "icon", "datasource.identity.icon");
            }

            var items = walker.Array(datasource, "datasources", "datasource.datasources");
            for (var i = 0; items is not null && i < items.Count; i++)
            {
                var path = $"datasource.datasources[{i}]";
                if (walker.Item(items, i, path) is { } item && walker.Object(item, "identity", $"{path}.identity") is { } itemIdentity)
                {
                    walker.String(itemIdentity, "icon", $"{path}.identity.icon");
                }
            }
        }

        if (walker.Object(declaration, "model", "model") is { } model)
        {
            foreach (var icon in ModelIcons)
            {
                if (walker.Object(model, icon, $"model.{icon}") is { } translations)
                {
                    foreach (var language in ModelLanguages)
                    {
                        walker.String(translations, language, $"model.{icon}.{language}");
                    }
                }
            }
        }

        return walker.Error;
    }

    private sealed class Walker(Func<string, string, string?> visit)
    {
        public string? Error { get; private set; }

        public JsonObject? Object(JsonObject parent, string key, string path) => Get(parent, key) switch
        {
            JsonObject value => value,
            null => null,
            var other => Fail<JsonObject>(path, other, "an object"),
        };

        public JsonArray? Array(JsonObject parent, string key, string path) => Get(parent, key) switch
        {
            JsonArray value => value,
            null => null,
            var other => Fail<JsonArray>(path, other, "an array"),
        };

        public JsonObject? Item(JsonArray items, int index, string path) => items[index] switch
        {
            JsonObject value => value,
            null => null,
            var other => Fail<JsonObject>(path, other, "an object"),
        };

        public void String(JsonObject parent, string key, string path)
        {
            switch (Get(parent, key))
            {
                case null:
                    return;
                case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                    var text = value.GetValue<string>();
                    if (text.Length > 0 && visit(path, text) is { } replacement)
                    {
                        parent[key] = replacement;
                    }

                    return;
                case var other:
                    Fail<JsonNode>(path, other, "a string");
                    return;
            }
        }

        private JsonNode? Get(JsonObject parent, string key) =>
            Error is null && parent.TryGetPropertyValue(key, out var node) ? node : null;

        private T? Fail<T>(string path, JsonNode node, string expected)
            where T : class
        {
            Error ??= $"{path} is {Describe(node)}, expected {expected}";
            return null;
        }

        private static string Describe(JsonNode node) => node.GetValueKind() switch
        {
            JsonValueKind.Object => "an object",
            JsonValueKind.Array => "an array",
            JsonValueKind.String => "a string",
            JsonValueKind.Number => "a number",
            JsonValueKind.True or JsonValueKind.False => "a boolean",
            var kind => kind.ToString(),
        };
    }
}
