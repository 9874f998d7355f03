using System.Globalization;
using System.Text.Json;

namespace DbIntegrity.Core.Repair;

/// <summary>Reads columns out of a row as <c>row_to_json</c> wrote it.</summary>
internal static class RowJson
{
    public static string? Text(JsonElement row, string column) =>
        row.TryGetProperty(column, out var value) ? value.ValueKind switch
        {
            JsonValueKind.Null or JsonValueKind.Undefined => null,
            JsonValueKind.String => value.GetString(),
            _ => value.GetRawText(),
        } : null;

    public static long Number(JsonElement row, string column) =>
        row.TryGetProperty(column, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt64() : 0;

    public static string Id(JsonElement row) => Text(row, "id") ?? throw new InvalidOperationException("A row without an id.");

    /// <summary>A JSON value for a <see cref="RepairStep.UpdateRow"/> or <see cref="RepairStep.InsertRow"/>.</summary>
    public static JsonElement Value(string? text) => JsonSerializer.SerializeToElement(text);

    public static JsonElement Value(long number) => JsonSerializer.SerializeToElement(number);

    public static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    /// <summary>The columns whose values differ between two rows, for a stale-plan message.</summary>
    public static string Differences(JsonElement planned, JsonElement current)
    {
        var names = planned.EnumerateObject().Select(p => p.Name).Union(current.EnumerateObject().Select(p => p.Name), StringComparer.Ordinal);
        var changed = names
            .Where(n => !(planned.TryGetProperty(n, out var a) && current.TryGetProperty(n, out var b) && JsonElement.DeepEquals(a, b)))
            .Select(n => $"{n} {Show(planned, n)} -> {Show(current, n)}")
            .ToList();
        return changed.Count == 0 ? "no column differs" : string.Join(", ", changed);
    }

    private static string Show(JsonElement row, string column)
    {
        if (!row.TryGetProperty(column, out var value))
        {
            return "(no column)";
        }

        var text = value.GetRawText();
        return text.Length > 80 ? string.Concat(text.AsSpan(0, 77), "...") : text.ToString(CultureInfo.InvariantCulture);
    }
}
