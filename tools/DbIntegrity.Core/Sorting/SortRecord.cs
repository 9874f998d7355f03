using System.Text;

namespace DbIntegrity.Core.Sorting;

/// <summary>
/// A key to sort by and a payload that travels with it, held as UTF-8 (as sort runs store it): a spilled finding's
/// JSON goes from the candidate spill file to the report's file as bytes, never decoded to a string on the way.
/// </summary>
internal sealed class SortRecord(string key, byte[] utf8Value)
{
    public SortRecord(string key, string value)
        : this(key, Encoding.UTF8.GetBytes(value))
    {
    }

    public string Key { get; } = key;

    public byte[] Utf8Value { get; } = utf8Value;

    /// <summary>The payload as text (decoded on each call).</summary>
    public string Value => Encoding.UTF8.GetString(Utf8Value);
}
