using System.Text.Json;

namespace DbIntegrity.Core.Packages;

/// <summary>
/// Reads a stored declaration (<c>plugin_declarations.declaration</c>, or <c>plugins.remote_declaration</c> for remote
/// plugins) into what a checker compares: identity, category, provider and asset ids. Never throws on bad input: a
/// broken declaration is a finding, so it comes back as <see cref="DeclarationReadResult.Error"/>.
/// </summary>
internal static class DeclarationReader
{
    // PluginDeclaration.Category() checks in this order (plugin_declaration.go). NamePath names <block>.identity.name in
    // messages, spelled out so that reading a declaration builds no path string (a model names its provider by
    // model.provider instead). DeclarationScan decides the category in the same order from this list.
    internal static readonly (PluginCategory Category, string Block, string List, string NamePath)[] CategoryOrder =
    [
        (PluginCategory.Tool, "tool", "tools", "tool.identity.name"),
        (PluginCategory.Model, "model", "models", "model.identity.name"),
        (PluginCategory.Datasource, "datasource", "datasources", "datasource.identity.name"),
        (PluginCategory.AgentStrategy, "agent_strategy", "agent_strategies", "agent_strategy.identity.name"),
        (PluginCategory.Trigger, "trigger", "triggers", "trigger.identity.name"),
    ];

    // Go's encoding/json refuses nesting deeper than 10,000 (maxNestingDepth in encoding/json/scanner.go);
    // System.Text.Json's default of 64 would call declarations the daemon reads broken.
    private static readonly JsonDocumentOptions GoDepth = new() { MaxDepth = 10_000 };

    public static DeclarationReadResult Read(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return DeclarationReadResult.Failure("the declaration is empty");
        }

        return Parse(json, static text => JsonDocument.Parse(GoJsonText.ReplaceInvalidSurrogates(text), GoDepth));
    }

    /// <summary>
    /// The same, from the declaration's UTF-8 bytes as PostgreSQL sends them: no UTF-16 string is made and none is turned
    /// back into UTF-8 to parse (at 10^5 declarations of 2.3 KB that was half a gigabyte of strings per scan). Bytes this
    /// path might read differently from the text path (invalid UTF-8, a surrogate escape to rewrite, nothing but
    /// whitespace, a first character beyond ASCII) are decoded and read as text.
    /// </summary>
    public static DeclarationReadResult Read(byte[]? utf8) => Read(utf8, fastPath: true);

    /// <summary>
    /// <see cref="Read(byte[])"/> of bytes the caller owns (a slice of a reused buffer): nothing read from them is kept
    /// after this returns, so the buffer can be written again.
    /// </summary>
    public static DeclarationReadResult Read(ReadOnlyMemory<byte> utf8) => Read(utf8, fastPath: true);

    /// <summary>
    /// <see cref="Read(byte[])"/>; <paramref name="fastPath"/> false reads every declaration with the document, so a
    /// test can hold <see cref="DeclarationScan"/> to what the document gives.
    /// </summary>
    internal static DeclarationReadResult Read(byte[]? utf8, bool fastPath) =>
        utf8 is null ? Read((string?)null) : Read(utf8.AsMemory(), fastPath);

    private static DeclarationReadResult Read(ReadOnlyMemory<byte> utf8, bool fastPath)
    {
        var bytes = utf8.Span;
        var start = bytes.IndexOfAnyExcept(" \t\r\n"u8);
        if (start < 0 || bytes[start] >= 0x80 || !System.Text.Unicode.Utf8.IsValid(bytes) || GoJsonText.MayHoldSurrogateEscape(bytes))
        {
            return Read(System.Text.Encoding.UTF8.GetString(bytes));
        }

        // One forward pass answers for almost every stored declaration; the document reads the rest and names what is wrong.
        if (fastPath && DeclarationScan.TryRead(bytes) is { } summary)
        {
            return DeclarationReadResult.Success(summary);
        }

        // The document reads the bytes where they are; it is disposed before this returns (Parse).
        return Parse(utf8, static memory => JsonDocument.Parse(memory, GoDepth));
    }

    // A read-only, pooled document: this runs once per stored declaration on every scan.
    private static DeclarationReadResult Parse<T>(T json, Func<T, JsonDocument> parse)
    {
        JsonDocument document;
        try
        {
            document = parse(json);
        }
        catch (JsonException ex)
        {
            return DeclarationReadResult.Failure($"the declaration is not valid JSON: {ex.Message}");
        }
        catch (ArgumentException ex)
        {
            // A lone surrogate character (not an escape) cannot be turned into UTF-8 to parse: also a finding.
            return DeclarationReadResult.Failure($"the declaration holds text that is not valid Unicode: {ex.Message}");
        }

        using (document)
        {
            try
            {
                return Read(document.RootElement);
            }
            catch (InvalidOperationException ex)
            {
                // JsonElement throws this for text it cannot decode; one bad row must be a finding, not the end of the scan.
                return DeclarationReadResult.Failure($"the declaration holds text that cannot be decoded: {ex.Message}");
            }
        }
    }

    private static DeclarationReadResult Read(JsonElement declaration)
    {
        if (declaration.ValueKind != JsonValueKind.Object)
        {
            return DeclarationReadResult.Failure($"the declaration is {JsonKinds.Describe(declaration.ValueKind)}, expected a JSON object");
        }

        if (Text(declaration, "author", "author", allowEmpty: true, out var author) is { } authorError)
        {
            return DeclarationReadResult.Failure(authorError);
        }

        if (Text(declaration, "name", "name", allowEmpty: false, out var name) is { } nameError)
        {
            return DeclarationReadResult.Failure(nameError);
        }

        if (Text(declaration, "version", "version", allowEmpty: false, out var version) is { } versionError)
        {
            return DeclarationReadResult.Failure(versionError);
        }

        var (category, provider, categoryError) = Category(declaration);
        if (categoryError is not null)
        {
            return DeclarationReadResult.Failure(categoryError);
        }

        var assets = new List<DeclaredAsset>();
        var iconError = IconFields.Visit(declaration, assets, static (list, field, id) => list.Add(new DeclaredAsset(field, id)));
        if (iconError is not null)
        {
            return DeclarationReadResult.Failure(iconError);
        }

        // Last, so the messages above keep naming what the checker itself needs: every other field the daemon's struct
        // declares must have the JSON type its Go type accepts, or the daemon cannot load the row at all.
        if (GoDeclaration.Declaration.Check(declaration, string.Empty) is { } typeError)
        {
            return DeclarationReadResult.Failure(typeError);
        }

        var hasEndpoints = declaration.TryGetProperty("endpoint", out var endpoint) && endpoint.ValueKind == JsonValueKind.Object;
        return DeclarationReadResult.Success(new DeclarationSummary(author!, name!, version!, category, provider, assets, hasEndpoints));
    }

    private static (PluginCategory Category, string? Provider, string? Error) Category(JsonElement declaration)
    {
        var plugins = Property(declaration, "plugins");
        foreach (var (category, block, list, namePath) in CategoryOrder)
        {
            switch (Property(declaration, block))
            {
                case { ValueKind: JsonValueKind.Object } provider when category == PluginCategory.Model:
                    var modelError = Text(provider, "provider", "model.provider", allowEmpty: false, out var model);
                    return (category, model, modelError);
                case { ValueKind: JsonValueKind.Object } provider when Property(provider, "identity") is { ValueKind: JsonValueKind.Object } identity:
                    var nameError = Text(identity, "name", namePath, allowEmpty: false, out var name);
                    return (category, name, nameError);
                case { ValueKind: JsonValueKind.Object } provider:
                    return (category, null, $"{block}.identity is {JsonKinds.Describe(Property(provider, "identity")?.ValueKind ?? JsonValueKind.Null)}, expected an object");
                case { } other:
                    return (category, null, $"{block} is {JsonKinds.Describe(other.ValueKind)}, expected an object");
            }

            // A manifest that lists provider files but has no block: the category holds, and no category row is written.
            if (plugins is { ValueKind: JsonValueKind.Object } && Property(plugins.Value, list) is { ValueKind: JsonValueKind.Array } files && files.GetArrayLength() > 0)
            {
                return (category, null, null);
            }
        }

        return (PluginCategory.Extension, null, null);
    }

    private static string? Text(JsonElement parent, string key, string path, bool allowEmpty, out string? value)
    {
        value = null;
        if (Property(parent, key) is not { } element)
        {
            return $"{path} is missing";
        }

        if (element.ValueKind != JsonValueKind.String)
        {
            return $"{path} is {JsonKinds.Describe(element.ValueKind)}, expected a string";
        }

        value = element.GetString()!;
        return value.Length == 0 && !allowEmpty ? $"{path} is empty" : null;
    }

    // Go's encoding/json treats a null field as absent (its zero value); so does this reader.
    private static JsonElement? Property(JsonElement parent, string key) =>
        parent.TryGetProperty(key, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;
}
