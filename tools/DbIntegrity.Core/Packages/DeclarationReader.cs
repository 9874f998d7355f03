using System.Text.Json;
using System.Text.Json.Nodes;

namespace DbIntegrity.Core.Packages;

/// <summary>
/// Reads a stored declaration (<c>plugin_declarations.declaration</c>, or <c>plugins.remote_declaration</c> for remote
/// plugins) into what a checker compares: identity, category, provider and asset ids. Never throws on bad input: a
/// broken declaration is a finding, so it comes back as <see cref="DeclarationReadResult.Error"/>.
/// </summary>
public static class DeclarationReader
{
    // PluginDeclaration.Category() checks in this order (plugin_declaration.go).
    private static readonly (PluginCategory Category, string Block, string List)[] CategoryOrder =
    [
        (PluginCategory.Tool, "tool", "tools"),
        (PluginCategory.Model, "model", "models"),
        (PluginCategory.Datasource, "datasource", "datasources"),
        (PluginCategory.AgentStrategy, "agent_strategy", "agent_strategies"),
        (PluginCategory.Trigger, "trigger", "triggers"),
    ];

    public static DeclarationReadResult Read(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return DeclarationReadResult.Failure("the declaration is empty");
        }

        try
        {
            return Read(JsonNode.Parse(json));
        }
        catch (JsonException ex)
        {
            return DeclarationReadResult.Failure($"the declaration is not valid JSON: {ex.Message}");
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            // JsonObject refuses duplicate property names when it is first read.
            return DeclarationReadResult.Failure($"the declaration cannot be read: {ex.Message}");
        }
    }

    private static DeclarationReadResult Read(JsonNode? root)
    {
        if (root is not JsonObject declaration)
        {
            return DeclarationReadResult.Failure($"the declaration is {Describe(root)}, expected a JSON object");
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
        var iconError = IconFields.Visit(declaration, (field, id) =>
        {
            assets.Add(new DeclaredAsset(field, id));
            return null;
        });
        if (iconError is not null)
        {
            return DeclarationReadResult.Failure(iconError);
        }

        var hasEndpoints = declaration["endpoint"] is JsonObject;
        return DeclarationReadResult.Success(new DeclarationSummary(author!, name!, version!, category, provider, assets, hasEndpoints));
    }

    private static (PluginCategory Category, string? Provider, string? Error) Category(JsonObject declaration)
    {
        var plugins = declaration["plugins"] as JsonObject;
        foreach (var (category, block, list) in CategoryOrder)
        {
            switch (declaration[block])
            {
                case JsonObject provider when category == PluginCategory.Model:
                    var modelError = Text(provider, "provider", "model.provider", allowEmpty: false, out var model);
                    return (category, model, modelError);
                case JsonObject provider when provider["identity"] is JsonObject identity:
                    var nameError = Text(identity, "name", $"{block}.identity.name", allowEmpty: false, out var name);
                    return (category, name, nameError);
                case JsonObject provider:
                    return (category, null, $"{block}.identity is {Describe(provider["identity"])}, expected an object");
                case { } other:
                    return (category, null, $"{block} is {Describe(other)}, expected an object");
            }

            // A manifest that lists provider files but has no block: the category holds, and no category row is written.
            if (plugins?[list] is JsonArray { Count: > 0 })
            {
                return (category, null, null);
            }
        }

        return (PluginCategory.Extension, null, null);
    }

    private static string? Text(JsonObject parent, string key, string path, bool allowEmpty, out string? value)
    {
        value = null;
        if (!parent.TryGetPropertyValue(key, out var node) || node is null)
        {
            return $"{path} is missing";
        }

        if (node.GetValueKind() != JsonValueKind.String)
        {
            return $"{path} is {Describe(node)}, expected a string";
        }

        value = node.GetValue<string>();
        return value.Length == 0 && !allowEmpty ? $"{path} is empty" : null;
    }

    private static string Describe(JsonNode? node) => node?.GetValueKind() switch
    {
        null => "null",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        _ => "a boolean",
    };
}
