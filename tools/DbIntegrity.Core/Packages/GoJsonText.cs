using System.Globalization;
using System.Text;

namespace DbIntegrity.Core.Packages;

/// <summary>
/// Makes stored JSON read the way the daemon reads it. Go's encoding/json decodes an escaped surrogate that is not
/// part of a valid pair (<c>"\ud83d"</c>) to U+FFFD and carries on; System.Text.Json throws on it when the string or a
/// property name is read. Rewriting such escapes to <c>\ufffd</c> before parsing gives the daemon's values.
/// </summary>
internal static class GoJsonText
{
    // "\ud" or "\uD" anywhere, by an ordinal (vectorised) search for "\u": a case-insensitive IndexOf runs the slow
    // invariant-culture path and cost a third of reading a declaration.
    private static bool MayHoldSurrogateEscape(string json)
    {
        var rest = json.AsSpan();
        while (rest.IndexOf(@"\u", StringComparison.Ordinal) is var at and >= 0)
        {
            if (at + 2 < rest.Length && rest[at + 2] is 'd' or 'D')
            {
                return true;
            }

            rest = rest[(at + 2)..];
        }

        return false;
    }

    /// <summary>The same search over UTF-8 bytes (<see cref="DeclarationReader.Read(byte[])"/>).</summary>
    internal static bool MayHoldSurrogateEscape(ReadOnlySpan<byte> json)
    {
        var rest = json;
        while (rest.IndexOf(@"\u"u8) is var at and >= 0)
        {
            if (at + 2 < rest.Length && rest[at + 2] is (byte)'d' or (byte)'D')
            {
                return true;
            }

            rest = rest[(at + 2)..];
        }

        return false;
    }

    public static string ReplaceInvalidSurrogates(string json)
    {
        // Almost every declaration has no surrogate escape at all: leave those untouched and unallocated.
        if (!MayHoldSurrogateEscape(json))
        {
            return json;
        }

        var result = new StringBuilder(json.Length);
        var i = 0;
        while (i < json.Length)
        {
            if (json[i] != '\\' || i + 1 >= json.Length)
            {
                result.Append(json[i++]);
                continue;
            }

            // A backslash can only start an escape inside a string: copy the escape whole, so "\\ud83d" stays text.
            if (json[i + 1] != 'u' || Escape(json, i) is not { } unit)
            {
                result.Append(json, i, 2);
                i += 2;
                continue;
            }

            if (char.IsHighSurrogate(unit) && Escape(json, i + 6) is { } low && char.IsLowSurrogate(low))
            {
                result.Append(json, i, 12);
                i += 12;
            }
            else
            {
                result.Append(char.IsSurrogate(unit) ? @"\ufffd" : json.Substring(i, 6));
                i += 6;
            }
        }

        return result.ToString();
    }

    private static char? Escape(string json, int at) =>
        at + 6 <= json.Length && json[at] == '\\' && json[at + 1] == 'u'
        && ushort.TryParse(json.AsSpan(at + 2, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value)
            ? (char)value
            : null;
}
