using System.Text.Json;
using System.Text.Json.Serialization;

namespace DbIntegrity.Core.Json;

/// <summary>
/// Serializer options that pass every string value and dictionary key through the host's presenter (its words for
/// Core's placeholders, secrets blanked) as it is written. A streamed report is presented value by value, so no step
/// holds its whole text; and a value is presented before JSON escapes it, so a secret holding a quote is still found.
/// </summary>
internal static class PresentedStrings
{
    /// <summary>The options as they are when <paramref name="present"/> is null; else a copy that presents every string.</summary>
    public static JsonSerializerOptions With(JsonSerializerOptions options, Func<string, string>? present) =>
        present is null ? options : new JsonSerializerOptions(options) { Converters = { new Converter(present) } };

    private sealed class Converter(Func<string, string> present) : JsonConverter<string>
    {
        public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetString();

        public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(present(value));

        public override string ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.GetString() ?? string.Empty;

        public override void WriteAsPropertyName(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WritePropertyName(present(value));
    }
}
