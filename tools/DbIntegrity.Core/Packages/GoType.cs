using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace DbIntegrity.Core.Packages;

/// <summary>
/// A Go type as <c>encoding/json</c> fills it: which JSON values it accepts. JSON null is accepted by every type (Go
/// leaves the field at its zero value); a struct ignores unknown keys and matches known ones exactly, else
/// case-insensitively, and decodes every occurrence of a duplicated key. Every stored declaration is checked on every
/// scan and almost all of them decode, so a check allocates nothing until it finds a value Go refuses.
/// </summary>
internal abstract partial record GoType(string Name)
{
    public static readonly GoType String = new Scalar(
        "string", e => e.ValueKind == JsonValueKind.String, "a string", static (ref r) => r.TokenType == JsonTokenType.String);

    public static readonly GoType Bool = new Scalar(
        "bool", e => e.ValueKind is JsonValueKind.True or JsonValueKind.False, "true or false", static (ref r) => r.TokenType is JsonTokenType.True or JsonTokenType.False);

    public static readonly GoType Int64 = new Scalar(
        "int64", e => e.ValueKind == JsonValueKind.Number && e.TryGetInt64(out _), "an integer", static (ref r) => r.TokenType == JsonTokenType.Number && r.TryGetInt64(out _));

    public static readonly GoType Uint64 = new Scalar(
        "uint64", e => e.ValueKind == JsonValueKind.Number && e.TryGetUInt64(out _), "a non-negative integer", static (ref r) => r.TokenType == JsonTokenType.Number && r.TryGetUInt64(out _));

    // time.Time.UnmarshalJSON: a JSON string in RFC 3339 (Go 1.20+ is strict about its layout and ranges). The fast
    // path leaves an escaped one to the document.
    public static readonly GoType Time = new Scalar(
        "time.Time", e => e.ValueKind == JsonValueKind.String && IsRfc3339(e), "an RFC 3339 time string",
        static (ref r) => r.TokenType == JsonTokenType.String && !r.ValueIsEscaped && IsRfc3339(r.ValueSpan));

    /// <summary>A check of the value a <see cref="Utf8JsonReader"/> is on (<see cref="Admits"/>).</summary>
    internal delegate bool TokenCheck(ref Utf8JsonReader reader);

    /// <summary>Null when <paramref name="value"/> decodes into this type; else what is wrong, naming <paramref name="path"/>.</summary>
    public string? Check(JsonElement value, string path) => Refuse(value)?.Describe(path);

    /// <summary>Every leaf path below this type with its Go type (what a test needs to build a wrong value for each).</summary>
    public virtual IEnumerable<(string Path, GoType Type)> Leaves(string path) => [(path, this)];

    /// <summary>The first value at or below <paramref name="value"/> that Go refuses, or null when it all decodes.</summary>
    private protected abstract Refusal? Refuse(JsonElement value);

    /// <summary>
    /// The same question for the value a reader is on (its first token read), for <see cref="DeclarationScan"/>: true
    /// when it decodes and nothing about it needs the document's judgement (a key Go would match only
    /// case-insensitively, an escaped or non-ASCII key, an escaped time); the reader is then on the value's last token.
    /// False is "ask the document", never a finding of its own.
    /// </summary>
    internal abstract bool Admits(ref Utf8JsonReader reader);

    private static string Mismatch(JsonElement value, string path, string expected, string goType) =>
        $"{path} is {JsonKinds.Describe(value.ValueKind)}{(value.ValueKind is JsonValueKind.Number or JsonValueKind.String ? $" ({value.GetRawText()})" : string.Empty)}, "
        + $"but the daemon's Go type there is {goType} ({expected}), so Go's encoding/json refuses the whole declaration";

    private static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    // An ASCII string without escapes is its own raw text: read it into a stack buffer instead of allocating a string.
    private static bool IsRfc3339(JsonElement value)
    {
        var raw = JsonMarshal.GetRawUtf8Value(value)[1..^1];
        return raw.Contains((byte)'\\') ? IsRfc3339(value.GetString()) : IsRfc3339(raw);
    }

    // The unescaped text of a JSON string as UTF-8.
    private static bool IsRfc3339(ReadOnlySpan<byte> raw)
    {
        Span<char> text = stackalloc char[64];
        if (raw.Length > text.Length || !Ascii.IsValid(raw))
        {
            return IsRfc3339(Encoding.UTF8.GetString(raw));
        }

        Ascii.ToUtf16(raw, text, out var length);
        return IsRfc3339(text[..length]);
    }

    private static bool IsRfc3339(ReadOnlySpan<char> text) =>
        Rfc3339().IsMatch(text)
        && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out _);

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex Rfc3339();

    /// <summary>
    /// A value Go refuses and the way down to it. The walk finds it without building a path; only then, unwinding, is
    /// each step noted, and <see cref="Describe"/> turns the steps into the message a path-building walk would give.
    /// </summary>
    private protected sealed class Refusal(JsonElement value, string expected, string goType)
    {
        // Innermost first: a field's JSON name, or an array index written as "[i]".
        private readonly List<string> _steps = [];

        public Refusal InField(string json)
        {
            _steps.Add(json);
            return this;
        }

        public Refusal AtIndex(int index)
        {
            _steps.Add($"[{index}]");
            return this;
        }

        public string Describe(string path)
        {
            for (var s = _steps.Count - 1; s >= 0; s--)
            {
                path = _steps[s].StartsWith('[') ? path + _steps[s] : Join(path, _steps[s]);
            }

            return Mismatch(value, path, expected, goType);
        }
    }

    /// <summary>A Go scalar (string, bool, integer, time).</summary>
    public sealed record Scalar(string GoName, Func<JsonElement, bool> Accepts, string Expected, TokenCheck Reads) : GoType(GoName)
    {
        internal override bool Admits(ref Utf8JsonReader reader) => reader.TokenType == JsonTokenType.Null || Reads(ref reader);

        private protected override Refusal? Refuse(JsonElement value) =>
            value.ValueKind == JsonValueKind.Null || Accepts(value) ? null : new Refusal(value, Expected, GoName);
    }

    /// <summary>A Go slice: a JSON array whose every item decodes into the element type.</summary>
    public sealed record Slice(GoType Element) : GoType("[]" + Element.Name)
    {
        private protected override Refusal? Refuse(JsonElement value)
        {
            if (value.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            if (value.ValueKind != JsonValueKind.Array)
            {
                return new Refusal(value, "an array", Name);
            }

            var i = 0;
            foreach (var item in value.EnumerateArray())
            {
                if (Element.Refuse(item) is { } refusal)
                {
                    return refusal.AtIndex(i);
                }

                i++;
            }

            return null;
        }

        public override IEnumerable<(string Path, GoType Type)> Leaves(string path) => [(path, this)];

        internal override bool Admits(ref Utf8JsonReader reader)
        {
            if (reader.TokenType == JsonTokenType.Null)
            {
                return true;
            }

            if (reader.TokenType != JsonTokenType.StartArray)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (!Element.Admits(ref reader))
                {
                    return false;
                }
            }

            return reader.TokenType == JsonTokenType.EndArray;
        }
    }

    /// <summary>A Go struct (or a pointer to one): a JSON object; <paramref name="Fields"/> are the JSON names of its fields.</summary>
    public sealed record Struct(string GoName, IReadOnlyList<(string Json, GoType Type)> Fields) : GoType(GoName)
    {
        // The field names as UTF-8, to match a key on its raw bytes instead of decoding it to a string. ASCII only,
        // because matching those bytes case-insensitively is OrdinalIgnoreCase only when both sides are ASCII.
        private readonly byte[][] _utf8Names = [.. Fields.Select(f => Ascii.IsValid(f.Json)
            ? Encoding.ASCII.GetBytes(f.Json)
            : throw new ArgumentException($"{GoName}: field name {f.Json} is not ASCII", nameof(Fields)))];

        private protected override Refusal? Refuse(JsonElement value)
        {
            if (value.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            if (value.ValueKind != JsonValueKind.Object)
            {
                return new Refusal(value, "an object", GoName);
            }

            foreach (var property in value.EnumerateObject())
            {
                if (Field(property) is { } field && field.Type.Refuse(property.Value) is { } refusal)
                {
                    return refusal.InField(field.Json);
                }
            }

            return null;
        }

        /// <summary><see cref="FieldOf"/>: a key no field has.</summary>
        internal const int Unknown = -1;

        /// <summary><see cref="FieldOf"/>: a key the document must match (escaped, beyond ASCII, or a field's only case-insensitively).</summary>
        internal const int Unsure = -2;

        public override IEnumerable<(string Path, GoType Type)> Leaves(string path) =>
            Fields.Count == 0 ? [(path, this)] : Fields.SelectMany(f => f.Type.Leaves(Join(path, f.Json)));

        /// <summary>
        /// Moves a reader inside an object to the value of its next key that names a field, skipping the values of
        /// unknown keys: true with the field's index. False at the object's end (the reader is on its EndObject) and at
        /// a key the document must match (<see cref="Unsure"/>; the reader is on that key, so a caller that then asks for
        /// EndObject refuses).
        /// </summary>
        internal bool NextField(ref Utf8JsonReader reader, out int field)
        {
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                field = FieldOf(ref reader);
                if (field == Unsure || !reader.Read())
                {
                    field = Unsure;
                    return false;
                }

                if (field != Unknown)
                {
                    return true;
                }

                reader.Skip();
            }

            field = Unknown;
            return false;
        }

        /// <summary>The index of the field whose JSON name is exactly the key a reader is on, or <see cref="Unknown"/> or <see cref="Unsure"/>.</summary>
        private int FieldOf(ref Utf8JsonReader reader)
        {
            var key = reader.ValueSpan;
            if (reader.ValueIsEscaped || !Ascii.IsValid(key))
            {
                return Unsure;
            }

            for (var f = 0; f < _utf8Names.Length; f++)
            {
                if (key.SequenceEqual(_utf8Names[f]))
                {
                    return f;
                }
            }

            for (var f = 0; f < _utf8Names.Length; f++)
            {
                if (Ascii.EqualsIgnoreCase(key, _utf8Names[f]))
                {
                    return Unsure;
                }
            }

            return Unknown;
        }

        // Every occurrence of a field is checked, as Go decodes each (Refuse does the same).
        internal override bool Admits(ref Utf8JsonReader reader)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                return reader.TokenType == JsonTokenType.Null;
            }

            while (NextField(ref reader, out var f))
            {
                if (!Fields[f].Type.Admits(ref reader))
                {
                    return false;
                }
            }

            return reader.TokenType == JsonTokenType.EndObject;
        }

        // encoding/json: an exact match first, else the first field whose name equals the key case-insensitively. A key
        // as written in the JSON (escapes and all) is its name when it is plain ASCII; any other key is decoded.
        private (string Json, GoType Type)? Field(JsonProperty property)
        {
            var key = JsonMarshal.GetRawUtf8PropertyName(property);
            if (key.Contains((byte)'\\') || !Ascii.IsValid(key))
            {
                return Field(property.Name);
            }

            for (var f = 0; f < Fields.Count; f++)
            {
                if (key.SequenceEqual(_utf8Names[f]))
                {
                    return Fields[f];
                }
            }

            for (var f = 0; f < Fields.Count; f++)
            {
                if (Ascii.EqualsIgnoreCase(key, _utf8Names[f]))
                {
                    return Fields[f];
                }
            }

            return null;
        }

        private (string Json, GoType Type)? Field(string key)
        {
            foreach (var field in Fields)
            {
                if (field.Json == key)
                {
                    return field;
                }
            }

            foreach (var field in Fields)
            {
                if (string.Equals(field.Json, key, StringComparison.OrdinalIgnoreCase))
                {
                    return field;
                }
            }

            return null;
        }
    }
}
