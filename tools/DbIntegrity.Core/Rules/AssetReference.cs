using System.Globalization;

namespace DbIntegrity.Core.Rules;

/// <summary>A row whose declaration names an asset: table, row id, identifier and the declaration field.</summary>
public sealed record AssetReference(string Table, string RowId, string Identifier, string Field, DateTimeOffset? Newest)
{
    internal string Serialize() => string.Join('\u001f', Table, RowId, Identifier, Field, Newest?.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture) ?? string.Empty);

    internal static AssetReference Deserialize(string value)
    {
        var parts = value.Split('\u001f');
        DateTimeOffset? newest = parts[4].Length == 0 ? null : DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(parts[4], CultureInfo.InvariantCulture));
        return new AssetReference(parts[0], parts[1], parts[2], parts[3], newest);
    }
}
