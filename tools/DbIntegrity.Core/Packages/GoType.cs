using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace DbIntegrity.Core.Packages;

/// <summary>
/// A Go type as <c>encoding/json</c> fills it: which JSON values it accepts. JSON null is accepted by every type (Go
/// leaves the field at its zero value); a struct ignores unknown keys and matches known ones exactly, else
/// case-insensitively, and decodes every occurrence of a duplicated key.
/// </summary>
internal abstract partial record GoType(string Name)
{
    public static readonly GoType String = new Scalar("string", e => e.ValueKind == JsonValueKind.String, "a string");
    public static readonly GoType Bool = new Scalar("bool", e => e.ValueKind is JsonValueKind.True or JsonValueKind.False, "true or false");
    public static readonly GoType Int64 = new Scalar("int64", e => e.ValueKind == JsonValueKind.Number && e.TryGetInt64(out _), "an integer");
    public static readonly GoType Uint64 = new Scalar("uint64", e => e.ValueKind == JsonValueKind.Number && e.TryGetUInt64(out _), "a non-negative integer");

    // time.Time.UnmarshalJSON: a JSON string in RFC 3339 (Go 1.20+ is strict about its layout and ranges).
    public static readonly GoType Time = new Scalar("time.Time", e => e.ValueKind == JsonValueKind.String && IsRfc3339(e.GetString()!), "an RFC 3339 time string");

    /// <summary>Null when <paramref name="value"/> decodes into this type; else what is wrong, naming <paramref name="path"/>.</summary>
    public abstract string? Check(JsonElement value, string path);

    /// <summary>Every leaf path below this type with its Go type (what a test needs to build a wrong value for each).</summary>
    public virtual IEnumerable<(string Path, GoType Type)> Leaves(string path) => [(path, this)];

    private static string Mismatch(JsonElement value, string path, string expected, string goType) =>
        $"{path} is {JsonKinds.Describe(value.ValueKind)}{(value.ValueKind is JsonValueKind.Number or JsonValueKind.String ? $" ({value.GetRawText()})" : string.Empty)}, "
        + $"but the daemon's Go type there is {goType} ({expected}), so Go's encoding/json refuses the whole declaration";

    private static bool IsRfc3339(string text) =>
        Rfc3339().IsMatch(text)
        && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out _);

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex Rfc3339();

    /// <summary>A Go scalar (string, bool, integer, time).</summary>
    public sealed record Scalar(string GoName, Func<JsonElement, bool> Accepts, string Expected) : GoType(GoName)
    {
        public override string? Check(JsonElement value, string path) =>
            value.ValueKind == JsonValueKind.Null || Accepts(value) ? null : Mismatch(value, path, Expected, GoName);
    }

    /// <summary>A Go slice: a JSON array whose every item decodes into the element type.</summary>
    public sealed record Slice(GoType Element) : GoType("[]" + Element.Name)
    {
        public override string? Check(JsonElement value, string path)
        {
            if (value.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            if (value.ValueKind != JsonValueKind.Array)
            {
                return Mismatch(value, path, "an array", Name);
            }

            var i = 0;
            foreach (var item in value.EnumerateArray())
            {
                if (Element.Check(item, $"{path}[{i++}]") is { } error)
                {
                    return error;
                }
            }

            return null;
        }

        public override IEnumerable<(string Path, GoType Type)> Leaves(string path) => [(path, this)];
    }

    /// <summary>A Go struct (or a pointer to one): a JSON object; <paramref name="Fields"/> are the JSON names of its fields.</summary>
    public sealed record Struct(string GoName, IReadOnlyList<(string Json, GoType Type)> Fields) : GoType(GoName)
    {
        public override string? Check(JsonElement value, string path)
        {
            if (value.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            if (value.ValueKind != JsonValueKind.Object)
            {
                return Mismatch(value, path, "an object", GoName);
            }

            foreach (var property in value.EnumerateObject())
            {
                if (Field(property.Name) is { } field && field.Type.Check(property.Value, Join(path, field.Json)) is { } error)
                {
                    return error;
                }
            }

            return null;
        }

        public override IEnumerable<(string Path, GoType Type)> Leaves(string path) =>
            Fields.Count == 0 ? [(path, this)] : Fields.SelectMany(f => f.Type.Leaves(Join(path, f.Json)));

        // encoding/json: an exact match first, else the first field whose name equals the key case-insensitively.
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

        private static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";
    }
}
