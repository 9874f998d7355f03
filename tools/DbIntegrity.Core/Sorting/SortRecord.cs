using System.Text;

namespace DbIntegrity.Core.Sorting;

/// <summary>
/// A key to sort by and a payload that travels with it, both held as UTF-8 (as sort runs store them) and compared by
/// those bytes: a spilled finding's sort key and the rest of it go from the candidate spill file to the report's runs as bytes,
/// never decoded to strings on the way (at 300,000 findings of about a kilobyte each, decoding the key on every read
/// back was most of a wiped scan's allocations). <see cref="Key"/> decodes the key for a caller that needs it as text.
/// </summary>
internal sealed class SortRecord
{
    private string? _key;

    public SortRecord(byte[] utf8Key, byte[] utf8Value)
    {
        Utf8Key = utf8Key;
        Utf8Value = utf8Value;
    }

    public SortRecord(string key, byte[] utf8Value)
        : this(Encoding.UTF8.GetBytes(key), utf8Value)
    {
        // Kept as given unless it holds surrogates: a lone one is encoded as U+FFFD, and Key must be the text of the
        // bytes records are compared by, whether the record stays in memory or is read back from a run.
        _key = key.AsSpan().ContainsAnyInRange('\uD800', '\uDFFF') ? null : key;
    }

    public SortRecord(string key, string value)
        : this(key, Encoding.UTF8.GetBytes(value))
    {
    }

    /// <summary>The text of <see cref="Utf8Key"/> (decoded once, when first asked for, unless the record was made from it).</summary>
    public string Key => _key ??= Encoding.UTF8.GetString(Utf8Key);

    /// <summary>The key as sorted: UTF-8 byte order is Unicode code point order (<see cref="Plugins.Utf8Ordinal"/>).</summary>
    public byte[] Utf8Key { get; }

    public byte[] Utf8Value { get; }

    /// <summary>The payload as text (decoded on each call).</summary>
    public string Value => Encoding.UTF8.GetString(Utf8Value);

    /// <summary>Orders records by their keys' bytes.</summary>
    public static int Compare(SortRecord a, SortRecord b) => a.Utf8Key.AsSpan().SequenceCompareTo(b.Utf8Key);
}
