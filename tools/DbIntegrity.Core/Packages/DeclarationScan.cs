using System.Text;
using System.Text.Json;

namespace DbIntegrity.Core.Packages;

/// <summary>
/// The fast path of <see cref="DeclarationReader.Read(byte[])"/>: one forward pass of a <see cref="Utf8JsonReader"/>
/// over the declaration's UTF-8 bytes that checks every field of the daemon's struct against its Go type
/// (<see cref="GoType.Admits"/>) and picks up what the summary needs, without building a document.
/// <para>
/// It only ever answers for a declaration that is plainly fine. At the first thing it would have to judge (a value of
/// a type the reader refuses, a duplicated key it reads, a key Go would match only case-insensitively, an escaped or
/// non-ASCII key, invalid JSON) it returns null, and the reader reads that declaration with the document, which names
/// the problem. So the two paths cannot disagree on a finding, and a test holds them to the same summary
/// (DeclarationScanTests).
/// </para>
/// </summary>
internal static class DeclarationScan
{
    // As the document's: Go's encoding/json refuses nesting deeper than 10,000 (DeclarationReader.GoDepth).
    private static readonly JsonReaderOptions GoDepth = new() { MaxDepth = 10_000 };

    private static readonly GoType.Struct Declaration = (GoType.Struct)GoDeclaration.Declaration;

    private static readonly GoType.Struct Extensions = (GoType.Struct)Declaration.Fields.Single(f => f.Json == "plugins").Type is var extensions
        && extensions.Fields.All(f => f.Type == new GoType.Slice(GoType.String))
        ? extensions : throw new InvalidOperationException("PluginExtensions changed: DeclarationScan.Plugins reads every field as a []string");

    // What each field of the declaration is to this pass: read for the summary, or only type-checked.
    private static readonly Role[] Roles = [.. Declaration.Fields.Select(f => f.Json switch
    {
        "author" => Role.Author,
        "name" => Role.Name,
        "version" => Role.Version,
        "icon" => Role.Icon,
        "icon_dark" => Role.IconDark,
        "plugins" => Role.Plugins,
        "endpoint" => Role.Endpoint,
        "tool" => Role.Tool,
        "agent_strategy" => Role.AgentStrategy,
        "trigger" => Role.Trigger,
        "datasource" => Role.Datasource,
        "model" => Role.Model,
        _ => Role.Typed,
    })];

    // Where Found keeps a block's identity: tool, agent_strategy and trigger in IconFields.ProviderIdentities' order,
    // then datasource. The model block has none (its provider is model.provider).
    private const int ToolIdentity = 0;
    private const int AgentStrategyIdentity = 1;
    private const int TriggerIdentity = 2;
    private const int DatasourceIdentity = 3;
    private const int NoIdentity = -1;

    // DeclarationReader's categories, in its order, each with where its identity is kept and the index of its list of
    // provider files in PluginExtensions.
    private static readonly (PluginCategory Category, int Identity, int List)[] Categories = [.. DeclarationReader.CategoryOrder.Select(c => (
        c.Category,
        c.Block switch
        {
            "tool" => ToolIdentity,
            "agent_strategy" => AgentStrategyIdentity,
            "trigger" => TriggerIdentity,
            "datasource" => DatasourceIdentity,
            "model" => NoIdentity,
            _ => throw new InvalidOperationException($"DeclarationScan does not read the {c.Block} block"),
        },
        Extensions.Fields.Select(f => f.Json).ToList().IndexOf(c.List)))];

    private static readonly byte[][] ModelIcons = [.. IconFields.ModelIconPaths.Select(m => Encoding.ASCII.GetBytes(m.Icon))];

    private static readonly byte[][] ModelLanguages = [.. IconFields.ModelIconPaths[0].Translations.Select(t => Encoding.ASCII.GetBytes(t.Language))];

    private enum Role
    {
        Typed,
        Author,
        Name,
        Version,
        Icon,
        IconDark,
        Plugins,
        Endpoint,
        Tool,
        AgentStrategy,
        Trigger,
        Datasource,
        Model,
    }

    /// <summary>The summary of a declaration that plainly decodes, or null when the document must judge it.</summary>
    public static DeclarationSummary? TryRead(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8, GoDepth);
        var found = new Found();
        try
        {
            // After the object only whitespace may follow: another Read() is false then, and throws on anything else.
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject || !Root(ref reader, found) || reader.Read())
            {
                return null;
            }
        }
        catch (JsonException)
        {
            return null;
        }
        catch (InvalidOperationException)
        {
            return null;
        }

        return found.Summary();
    }

    private static bool Root(ref Utf8JsonReader reader, Found found)
    {
        ulong seen = 0;
        while (Declaration.NextField(ref reader, out var f))
        {
            // A second value for a field the summary reads would need the document's rule (the last one wins).
            if ((seen & (1UL << f)) != 0)
            {
                return false;
            }

            seen |= 1UL << f;
            var admitted = Roles[f] switch
            {
                Role.Author => OptionalString(ref reader, out found.Author),
                Role.Name => OptionalString(ref reader, out found.Name),
                Role.Version => OptionalString(ref reader, out found.Version),
                Role.Icon => OptionalString(ref reader, out found.Icon),
                Role.IconDark => OptionalString(ref reader, out found.IconDark),
                Role.Plugins => Plugins(ref reader, found.ListLengths),
                Role.Endpoint => Endpoint(ref reader, found),
                Role.Tool => Provider(ref reader, found.Identity(ToolIdentity), iconDark: true),
                Role.AgentStrategy => Provider(ref reader, found.Identity(AgentStrategyIdentity), iconDark: true),
                Role.Trigger => Provider(ref reader, found.Identity(TriggerIdentity), iconDark: true),
                Role.Datasource => Datasource(ref reader, found),
                Role.Model => Model(ref reader, found),
                _ => Declaration.Fields[f].Type.Admits(ref reader),
            };
            if (!admitted)
            {
                return false;
            }
        }

        return reader.TokenType == JsonTokenType.EndObject;
    }

    // null (Go's zero value, "absent" to the reader) or a string.
    private static bool OptionalString(ref Utf8JsonReader reader, out string? value)
    {
        value = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        return reader.TokenType is JsonTokenType.String or JsonTokenType.Null;
    }

    // PluginExtensions: six []string (checked when the type is built), of which the category needs the lengths.
    private static bool Plugins(ref Utf8JsonReader reader, int[] lengths)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return reader.TokenType == JsonTokenType.Null;
        }

        var seen = 0;
        while (Extensions.NextField(ref reader, out var f))
        {
            if ((seen & (1 << f)) != 0 || !Strings(ref reader, out lengths[f]))
            {
                return false;
            }

            seen |= 1 << f;
        }

        return reader.TokenType == JsonTokenType.EndObject;
    }

    // A []string: null (no items) or an array of strings and nulls, counted.
    private static bool Strings(ref Utf8JsonReader reader, out int length)
    {
        length = 0;
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return reader.TokenType == JsonTokenType.Null;
        }

        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.Null))
            {
                return false;
            }

            length++;
        }

        return reader.TokenType == JsonTokenType.EndArray;
    }

    private static bool Endpoint(ref Utf8JsonReader reader, Found found)
    {
        found.HasEndpoints = reader.TokenType == JsonTokenType.StartObject;
        if (found.HasEndpoints)
        {
            reader.Skip();
        }

        return found.HasEndpoints || reader.TokenType == JsonTokenType.Null;
    }

    // A provider block, or a datasource item: null, or an object whose identity is read.
    private static bool Provider(ref Utf8JsonReader reader, Identity identity, bool iconDark)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return reader.TokenType == JsonTokenType.Null;
        }

        identity.Block = true;
        while (NextKey(ref reader, out var key))
        {
            if (!key.SequenceEqual("identity"u8))
            {
                reader.Skip();
                continue;
            }

            if (identity.Seen || !IdentityObject(ref reader, identity, iconDark))
            {
                return false;
            }
        }

        return reader.TokenType == JsonTokenType.EndObject;
    }

    // A provider's identity: null, or an object whose name, icon (and icon_dark) are null or strings.
    private static bool IdentityObject(ref Utf8JsonReader reader, Identity identity, bool iconDark)
    {
        identity.Seen = true;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return reader.TokenType == JsonTokenType.Null;
        }

        identity.IsObject = true;
        var seen = 0;
        while (NextKey(ref reader, out var key))
        {
            var field = key.SequenceEqual("name"u8) ? 1 : key.SequenceEqual("icon"u8) ? 2 : iconDark && key.SequenceEqual("icon_dark"u8) ? 4 : 0;
            if (field == 0)
            {
                reader.Skip();
                continue;
            }

            if ((seen & field) != 0)
            {
                return false;
            }

            seen |= field;
            var admitted = field switch
            {
                1 => OptionalString(ref reader, out identity.Name),
                2 => OptionalString(ref reader, out identity.Icon),
                _ => OptionalString(ref reader, out identity.IconDark),
            };
            if (!admitted)
            {
                return false;
            }
        }

        return reader.TokenType == JsonTokenType.EndObject;
    }

    private static bool Datasource(ref Utf8JsonReader reader, Found found)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return reader.TokenType == JsonTokenType.Null;
        }

        var identity = found.Identity(DatasourceIdentity);
        identity.Block = true;
        var itemsSeen = false;
        while (NextKey(ref reader, out var key))
        {
            if (key.SequenceEqual("identity"u8))
            {
                if (identity.Seen || !IdentityObject(ref reader, identity, iconDark: false))
                {
                    return false;
                }
            }
            else if (key.SequenceEqual("datasources"u8))
            {
                if (itemsSeen || !DatasourceItems(ref reader, found))
                {
                    return false;
                }

                itemsSeen = true;
            }
            else
            {
                reader.Skip();
            }
        }

        return reader.TokenType == JsonTokenType.EndObject;
    }

    // datasource.datasources: null, or an array of items that are null or objects whose identity is null or an object.
    private static bool DatasourceItems(ref Utf8JsonReader reader, Found found)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return reader.TokenType == JsonTokenType.Null;
        }

        for (var i = 0; reader.Read() && reader.TokenType != JsonTokenType.EndArray; i++)
        {
            var identity = new Identity();
            if (!Provider(ref reader, identity, iconDark: false))
            {
                return false;
            }

            // Only a non-empty icon, as IconFields.Visit reports them.
            if (identity.Icon is { Length: > 0 } icon)
            {
                (found.DatasourceIcons ??= []).Add((i, icon));
            }
        }

        return reader.TokenType == JsonTokenType.EndArray;
    }

    private static string?[,] NewModelIcons() => new string?[IconFields.ModelIconPaths.Length, IconFields.ModelIconPaths[0].Translations.Length];

    private static bool Model(ref Utf8JsonReader reader, Found found)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return reader.TokenType == JsonTokenType.Null;
        }

        found.ModelBlock = true;
        var seen = 0;
        while (NextKey(ref reader, out var key))
        {
            if (key.SequenceEqual("provider"u8))
            {
                if ((seen & 1) != 0 || !OptionalString(ref reader, out found.ModelProvider))
                {
                    return false;
                }

                seen |= 1;
                continue;
            }

            var icon = IndexOf(ModelIcons, key);
            if (icon < 0)
            {
                reader.Skip();
                continue;
            }

            if ((seen & (2 << icon)) != 0 || !Translations(ref reader, found.ModelIcons ??= NewModelIcons(), icon))
            {
                return false;
            }

            seen |= 2 << icon;
        }

        return reader.TokenType == JsonTokenType.EndObject;
    }

    // model.<icon>: null, or an object whose languages are null or strings.
    private static bool Translations(ref Utf8JsonReader reader, string?[,] icons, int icon)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return reader.TokenType == JsonTokenType.Null;
        }

        var seen = 0;
        while (NextKey(ref reader, out var key))
        {
            var language = IndexOf(ModelLanguages, key);
            if (language < 0)
            {
                reader.Skip();
                continue;
            }

            if ((seen & (1 << language)) != 0 || !OptionalString(ref reader, out icons[icon, language]))
            {
                return false;
            }

            seen |= 1 << language;
        }

        return reader.TokenType == JsonTokenType.EndObject;
    }

    // Reads the next key of an object and moves to its value. False at the object's end, and for a key the document
    // would unescape before comparing: then the caller sees no EndObject and refuses.
    private static bool NextKey(ref Utf8JsonReader reader, out ReadOnlySpan<byte> key)
    {
        key = default;
        if (!reader.Read() || reader.TokenType != JsonTokenType.PropertyName || reader.ValueIsEscaped)
        {
            return false;
        }

        key = reader.ValueSpan;
        return reader.Read();
    }

    private static int IndexOf(byte[][] names, ReadOnlySpan<byte> key)
    {
        for (var n = 0; n < names.Length; n++)
        {
            if (key.SequenceEqual(names[n]))
            {
                return n;
            }
        }

        return -1;
    }

    private sealed class Identity
    {
        public bool Block;
        public bool Seen;
        public bool IsObject;
        public string? Name;
        public string? Icon;
        public string? IconDark;
    }

    // What the pass picked up, turned into the summary exactly as DeclarationReader and IconFields.Visit build it.
    private sealed class Found
    {
        public string? Author;
        public string? Name;
        public string? Version;
        public string? Icon;
        public string? IconDark;
        public bool HasEndpoints;
        public bool ModelBlock;
        public string? ModelProvider;
        public readonly int[] ListLengths = new int[Extensions.Fields.Count];

        // Made only for what the declaration has (most have one provider block and no model icons): this runs per
        // stored declaration on every scan.
        public List<(int Index, string Icon)>? DatasourceIcons;
        public string?[,]? ModelIcons;

        // Indexed by ToolIdentity … DatasourceIdentity.
        private readonly Identity?[] _identities = new Identity?[DatasourceIdentity + 1];

        public Identity Identity(int block) => _identities[block] ??= new Identity();

        public DeclarationSummary? Summary()
        {
            var (category, provider, readable) = Category();
            if (Author is null || Name is not { Length: > 0 } || Version is not { Length: > 0 } || !readable)
            {
                return null;
            }

            var assets = new List<DeclaredAsset>();
            Add(assets, "icon", Icon);
            Add(assets, "icon_dark", IconDark);
            for (var p = 0; p < IconFields.ProviderIdentities.Length; p++)
            {
                Add(assets, IconFields.ProviderIdentities[p].Icon, _identities[p]?.Icon);
                Add(assets, IconFields.ProviderIdentities[p].IconDark, _identities[p]?.IconDark);
            }

            Add(assets, "datasource.identity.icon", _identities[DatasourceIdentity]?.Icon);
            foreach (var (index, icon) in DatasourceIcons ?? [])
            {
                assets.Add(new DeclaredAsset($"datasource.datasources[{index}].identity.icon", icon));
            }

            for (var i = 0; i < IconFields.ModelIconPaths.Length; i++)
            {
                var translations = IconFields.ModelIconPaths[i].Translations;
                for (var l = 0; l < translations.Length; l++)
                {
                    Add(assets, translations[l].Path, ModelIcons?[i, l]);
                }
            }

            return new DeclarationSummary(Author, Name, Version, category, provider, assets, HasEndpoints);
        }

        // DeclarationReader.Category: the first block present decides, else the first non-empty list of provider files.
        private (PluginCategory Category, string? Provider, bool Readable) Category()
        {
            foreach (var (category, slot, list) in Categories)
            {
                var identity = slot == NoIdentity ? null : _identities[slot];
                if (slot == NoIdentity ? ModelBlock : identity?.Block == true)
                {
                    var provider = slot == NoIdentity ? ModelProvider : identity!.IsObject ? identity.Name : null;
                    return (category, provider, provider is { Length: > 0 });
                }

                if (ListLengths[list] > 0)
                {
                    return (category, null, true);
                }
            }

            return (PluginCategory.Extension, null, true);
        }

        private static void Add(List<DeclaredAsset> assets, string field, string? value)
        {
            if (value is { Length: > 0 })
            {
                assets.Add(new DeclaredAsset(field, value));
            }
        }
    }
}
