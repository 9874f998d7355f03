using System.Text.Json;
using System.Text.Json.Serialization;

namespace DbIntegrity.Core.Repair;

/// <summary>
/// One change. Apply runs them in a fixed order whatever the fix order: object copies (packages before installed
/// markers), then every row change in one transaction, then object deletions (see <see cref="RepairApplier"/>).
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(DeleteRow), "delete-row")]
[JsonDerivedType(typeof(UpdateRow), "update-row")]
[JsonDerivedType(typeof(InsertRow), "insert-row")]
[JsonDerivedType(typeof(CopyObject), "copy-object")]
[JsonDerivedType(typeof(DeleteObject), "delete-object")]
public abstract record RepairStep
{
    private RepairStep()
    {
    }

    /// <summary>Deletes the row; the fix has a <see cref="RepairFact.Row"/> fact with its content (the backup).</summary>
    public sealed record DeleteRow(string Table, string Id) : RepairStep;

    /// <summary>Sets columns of the row (values as <c>row_to_json</c> writes them); the fix has its <see cref="RepairFact.Row"/> fact.</summary>
    public sealed record UpdateRow(string Table, string Id, IReadOnlyDictionary<string, JsonElement> Set) : RepairStep;

    /// <summary>Inserts a row with these columns (the rest take their defaults; created_at and updated_at are now()).</summary>
    public sealed record InsertRow(string Table, string Id, IReadOnlyDictionary<string, JsonElement> Values) : RepairStep;

    /// <summary>
    /// Copies a package (from this bucket, or <paramref name="SourceBucket"/> for a backup) to
    /// <paramref name="DestinationKey"/>, only if the bytes' checksum (docs/daemon/packages.md#checksum) is <paramref name="Checksum"/>. The bytes
    /// verified are the bytes written. <paramref name="Replaces"/> is set when an unusable object is overwritten.
    /// </summary>
    public sealed record CopyObject(string? SourceBucket, string SourceKey, string DestinationKey, string Checksum, RepairFact.ObjectPresent? Replaces) : RepairStep;

    /// <summary>Deletes the object if it still has this ETag and size (it is backed up first).</summary>
    public sealed record DeleteObject(string Key, string? ETag, long Size) : RepairStep;
}
