using System.Text.Json;

namespace DbIntegrity.Core.Repair;

/// <summary>
/// One row an apply changes, as rows.json of the backup records it: the whole row before a delete or an update (as
/// <c>row_to_json</c> wrote it, timestamps in UTC), the new values of an update, the id of an inserted row.
/// </summary>
internal sealed record RowChange
{
    public required string Fix { get; init; }

    public required RowChangeKind Change { get; init; }

    public required string Table { get; init; }

    public required string Id { get; init; }

    /// <summary>The row before (deleted and updated rows).</summary>
    public JsonElement? Before { get; init; }

    /// <summary>The columns set (updates) or the values inserted (inserts).</summary>
    public IReadOnlyDictionary<string, JsonElement>? Values { get; init; }
}
