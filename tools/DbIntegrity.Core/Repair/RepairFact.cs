using System.Text.Json;
using System.Text.Json.Serialization;

namespace DbIntegrity.Core.Repair;

/// <summary>
/// Something that was true when the plan was made and must still be true when a fix is applied. Database facts are
/// re-read under locks in the transaction that applies the fix; object facts by HEAD just before.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(Row), "row")]
[JsonDerivedType(typeof(RowCount), "row-count")]
[JsonDerivedType(typeof(ObjectPresent), "object-present")]
[JsonDerivedType(typeof(ObjectAbsent), "object-absent")]
public abstract record RepairFact
{
    private RepairFact()
    {
    }

    /// <summary>The row with this id exists with exactly this content (<c>row_to_json</c>, timestamps in UTC).</summary>
    public sealed record Row(string Table, string Id, JsonElement Content) : RepairFact;

    /// <summary>
    /// Exactly <paramref name="Count"/> rows of <paramref name="Table"/> have these column values (compared as text;
    /// null matches NULL). Counting needs the table locked against writers, not just rows (a new row is a phantom).
    /// </summary>
    public sealed record RowCount(string Table, IReadOnlyDictionary<string, string?> Where, long Count) : RepairFact;

    /// <summary>The object exists with this ETag and size.</summary>
    public sealed record ObjectPresent(string Key, string? ETag, long Size) : RepairFact;

    public sealed record ObjectAbsent(string Key) : RepairFact;
}
