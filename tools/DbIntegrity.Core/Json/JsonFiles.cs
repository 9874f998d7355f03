using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace DbIntegrity.Core.Json;

/// <summary>
/// The one JSON convention of every file dbintegrity writes or reads (scan and gate reports, baselines, repair plans,
/// backup manifests, the JSON results of repair, backup and restore): property names in camelCase, enum values in
/// kebab-case (<c>not-applicable</c>, <c>delete-row</c>), never numbers. Kebab-case because the rule ids and the repair
/// plan and backup files already speak it; the reports and baselines used camelCase until this convention (only the
/// gate report's multi-word precondition statuses changed spelling: the scan report's and the baseline's enum values
/// are single words, spelled alike both ways, so files written before still read).
/// </summary>
public static class JsonFiles
{
    /// <summary>
    /// New options with the convention, indented. Callers add what their format needs (nulls left out, strict reading)
    /// before first use; the options are then frozen by System.Text.Json.
    /// </summary>
    public static JsonSerializerOptions Options(Action<JsonSerializerOptions>? configure = null)
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            WriteIndented = true,
            // Files for people, CI jobs and apply, never embedded in HTML unescaped: keep quotes and non-ASCII text readable.
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            Converters = { EnumConverter() },
        };
        configure?.Invoke(options);
        return options;
    }

    /// <summary>The same options written on one line (e.g. what a table column stores).</summary>
    public static JsonSerializerOptions Compact(JsonSerializerOptions options) => new(options) { WriteIndented = false };

    /// <summary>An enum value as the files spell it, for text that names it the same way (e.g. a table beside the JSON).</summary>
    public static string Name<TEnum>(TEnum value)
        where TEnum : struct, Enum => JsonNamingPolicy.KebabCaseLower.ConvertName(value.ToString());

    /// <summary>How an enum value is spelled: its name in kebab-case; a number is refused when read.</summary>
    public static JsonStringEnumConverter EnumConverter() => new(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false);
}
