namespace DbIntegrity.Core.Plugins;

/// <summary>
/// Orders strings by their UTF-8 bytes, which is Unicode code point order: the order S3 lists keys in, the order of
/// PostgreSQL's <c>COLLATE "C"</c> on a UTF-8 database, and Go's string order. <see cref="StringComparer.Ordinal"/>
/// compares UTF-16 code units and disagrees for characters above U+FFFF.
/// </summary>
public sealed class Utf8Ordinal : IComparer<string>
{
    public static Utf8Ordinal Instance { get; } = new();

    private Utf8Ordinal()
    {
    }

    public int Compare(string? x, string? y)
    {
        if (ReferenceEquals(x, y))
        {
            return 0;
        }

        if (x is null)
        {
            return -1;
        }

        if (y is null)
        {
            return 1;
        }

        // Keys that are compared share long prefixes (the author, the name, the version): skip the equal part with the
        // vectorised search, then decide on the first code unit that differs.
        var length = Math.Min(x.Length, y.Length);
        var i = x.AsSpan(0, length).CommonPrefixLength(y.AsSpan(0, length));
        if (i < length)
        {
            var a = x[i];
            var b = y[i];

            // Surrogates (U+D800-DFFF) encode code points above U+FFFF, which sort after every BMP character.
            var aHigh = char.IsSurrogate(a);
            var bHigh = char.IsSurrogate(b);
            if (aHigh != bHigh)
            {
                return aHigh ? 1 : -1;
            }

            return a.CompareTo(b);
        }

        return x.Length.CompareTo(y.Length);
    }
}
