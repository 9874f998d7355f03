using DbIntegrity.Core.Storage;

namespace DbIntegrity.Core.Scanning;

/// <summary>
/// One asset id: the object under the media prefix (when listed) and the declarations that reference it.
/// <see cref="FirstReference"/> names one referencing row for the report; <see cref="ReferenceCount"/> counts them all.
/// </summary>
internal sealed record AssetGroup(string AssetId, StoredObject? Object, AssetReference? FirstReference, long ReferenceCount);

/// <summary>A row whose declaration names an asset: table, row id, identifier and the declaration field.</summary>
internal sealed record AssetReference(string Table, string RowId, string Identifier, string Field, DateTimeOffset? Newest)
{
    internal string Serialize() => string.Join('\u001f', Table, RowId, Identifier, Field, Newest?.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty);

    internal static AssetReference Deserialize(string value)
    {
        var parts = value.Split('\u001f');
        DateTimeOffset? newest = parts[4].Length == 0 ? null : DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(parts[4], System.Globalization.CultureInfo.InvariantCulture));
        return new AssetReference(parts[0], parts[1], parts[2], parts[3], newest);
    }
}
