using System.Text.Json;
using System.Text.Json.Nodes;

namespace DbIntegrity.Core.Packages;

/// <summary>
/// The declaration fields that hold icons, exactly those <c>RemapAssets</c> rewrites to asset ids at upload
/// (docs/daemon/packages.md#declaration, <c>media_transport/assets.go</c>). The list lives here once: the reader walks a read-only
/// <see cref="JsonElement"/> (the checker's hot path), the builder replaces the same paths in its mutable tree.
/// </summary>
public static class IconFields
{
    private static readonly string[] ModelIcons = ["icon_small", "icon_large", "icon_small_dark", "icon_large_dark"];
    private static readonly string[] ModelLanguages = ["en_US", "zh_Hans", "ja_JP", "pt_BR"];

    // The paths Visit names, built once rather than per declaration: the blocks whose identity holds icon and
    // icon_dark, and model.<icon>.<language> for every model icon. DeclarationScan reports the same paths in the same order.
    internal static readonly (string Block, string Identity, string Icon, string IconDark)[] ProviderIdentities =
        [.. new[] { "tool", "agent_strategy", "trigger" }.Select(b => (b, $"{b}.identity", $"{b}.identity.icon", $"{b}.identity.icon_dark"))];

    internal static readonly (string Icon, string Path, (string Language, string Path)[] Translations)[] ModelIconPaths =
        [.. ModelIcons.Select(icon => (icon, $"model.{icon}", ModelLanguages.Select(l => (l, $"model.{icon}.{l}")).ToArray()))];

    /// <summary>
    /// Calls <paramref name="visit"/> with the path (e.g. <c>model.icon_small.en_US</c>) and value of every non-empty
    /// icon field. Returns an error naming the first field whose JSON type is wrong, or null.
    /// </summary>
    public static string? Visit(JsonElement declaration, Action<string, string> visit) =>
        Visit(declaration, visit, static (visit, path, value) => visit(path, value));

    /// <summary>
    /// <see cref="Visit(JsonElement, Action{string, string})"/> handing <paramref name="state"/> to
    /// <paramref name="visit"/>, so that the reader, which runs for every stored declaration, allocates no closure.
    /// </summary>
    internal static string? Visit<TState>(JsonElement declaration, TState state, Action<TState, string, string> visit)
    {
        var walker = new Walker<TState>(state, visit);
        walker.String(declaration, "icon", "icon");
        walker.String(declaration, "icon_dark", "icon_dark");
        foreach (var (block, identityPath, iconPath, iconDarkPath) in ProviderIdentities)
        {
            if (walker.Object(declaration, block, block) is { } provider
                && walker.Object(provider, "identity", identityPath) is { } identity)
            {
                walker.String(identity, "icon", iconPath);
                walker.String(identity, "icon_dark", iconDarkPath);
            }
        }

        if (walker.Object(declaration, "datasource", "datasource") is { } datasource)
        {
            if (walker.Object(datasource, "identity", "datasource.identity") is { } identity)
            {
                walker.String(identity, "icon", "datasource.identity.icon");
            }

            if (walker.Array(datasource, "datasources", "datasource.datasources") is { } items)
            {
                var i = 0;
                foreach (var item in items.EnumerateArray())
                {
                    var path = $"datasource.datasources[{i++}]";
                    if (walker.Item(item, path) is { } entry && walker.Object(entry, "identity", $"{path}.identity") is { } itemIdentity)
                    {
                        walker.String(itemIdentity, "icon", $"{path}.identity.icon");
                    }
                }
            }
        }

        if (walker.Object(declaration, "model", "model") is { } model)
        {
            foreach (var (icon, iconPath, translations) in ModelIconPaths)
            {
                if (walker.Object(model, icon, iconPath) is { } values)
                {
                    foreach (var (language, path) in translations)
                    {
                        walker.String(values, language, path);
                    }
                }
            }
        }

        return walker.Error;
    }

    /// <summary>
    /// Replaces every non-empty icon field of a declaration being built with what <paramref name="replace"/> returns
    /// for it (the builder turns file names into asset ids). Returns the first shape error, or null.
    /// </summary>
    public static string? Replace(JsonObject declaration, Func<string, string, string> replace)
    {
        var found = new List<(string Path, string Value)>();
        var error = Visit(JsonSerializer.SerializeToElement(declaration), (path, value) => found.Add((path, value)));
        foreach (var (path, value) in found)
        {
            SetString(declaration, path, replace(path, value));
        }

        return error;
    }

    // Paths are dotted keys with [index] on array items, as Visit writes them.
    private static void SetString(JsonObject root, string path, string value)
    {
        JsonNode node = root;
        var segments = path.Split('.');
        for (var s = 0; s < segments.Length - 1; s++)
        {
            node = Step(node, segments[s]);
        }

        node.AsObject()[segments[^1]] = value;
    }

    private static JsonNode Step(JsonNode node, string segment)
    {
        var bracket = segment.IndexOf('[', StringComparison.Ordinal);
        if (bracket < 0)
        {
            return node[segment]!;
        }

        var index = int.Parse(segment.AsSpan(bracket + 1, segment.Length - bracket - 2), System.Globalization.CultureInfo.InvariantCulture);
        return node[segment[..bracket]]![index]!;
    }

    // A struct, so a walk allocates nothing of its own; it lives in one local that its methods update.
    private struct Walker<TState>(TState state, Action<TState, string, string> visit)
    {
        public string? Error { get; private set; }

        public JsonElement? Object(JsonElement parent, string key, string path) => Get(parent, key) switch
        {
            { ValueKind: JsonValueKind.Object } value => value,
            null => null,
            { } other => Fail(path, other, "an object"),
        };

        public JsonElement? Array(JsonElement parent, string key, string path) => Get(parent, key) switch
        {
            { ValueKind: JsonValueKind.Array } value => value,
            null => null,
            { } other => Fail(path, other, "an array"),
        };

        public JsonElement? Item(JsonElement item, string path) => Error is not null ? null : item.ValueKind switch
        {
            JsonValueKind.Object => item,
            JsonValueKind.Null => null,
            _ => Fail(path, item, "an object"),
        };

        public void String(JsonElement parent, string key, string path)
        {
            switch (Get(parent, key))
            {
                case null:
                    return;
                case { ValueKind: JsonValueKind.String } value:
                    var text = value.GetString()!;
                    if (text.Length > 0)
                    {
                        visit(state, path, text);
                    }

                    return;
                case { } other:
                    Fail(path, other, "a string");
                    return;
            }
        }

        // Go's encoding/json leaves a field that is null at its zero value, so null is "absent" here too.
        private JsonElement? Get(JsonElement parent, string key) =>
            Error is null && parent.TryGetProperty(key, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

        private JsonElement? Fail(string path, JsonElement element, string expected)
        {
            Error ??= $"{path} is {JsonKinds.Describe(element.ValueKind)}, expected {expected}";
            return null;
        }
    }
}
