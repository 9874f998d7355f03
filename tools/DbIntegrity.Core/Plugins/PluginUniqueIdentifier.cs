using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace DbIntegrity.Core.Plugins;

/// <summary>
/// A parsed <c>plugin_unique_identifier</c>: <c>[author/]name:version@checksum</c>.
/// </summary>
/// <remarks>
/// docs/daemon/identifiers.md: the daemon's regex from <c>pkg/entities/plugin_entities/identity.go</c>, ported so that exactly the
/// same strings pass. Two porting fixes: <c>\z</c> instead of <c>$</c> (.NET's <c>$</c> also matches before a trailing
/// newline) and <c>[0-9A-Za-z_]</c> instead of <c>\w</c> (Go's <c>\w</c> is ASCII, .NET's is Unicode).
/// </remarks>
public sealed partial record PluginUniqueIdentifier
{
    private PluginUniqueIdentifier(string value, string author, string name, string version, string checksum)
    {
        Value = value;
        Author = author;
        Name = name;
        Version = version;
        Checksum = checksum;
    }

    /// <summary>The identifier exactly as stored.</summary>
    public string Value { get; }

    /// <summary>The author, or empty when the identifier has no <c>author/</c> part.</summary>
    public string Author { get; }

    public string Name { get; }

    /// <summary>The version: 2 to 4 numeric parts and an optional <c>-suffix</c>.</summary>
    public string Version { get; }

    /// <summary>The lowercase hex after <c>@</c>; for packages, the checksum (docs/daemon/packages.md#checksum).</summary>
    public string Checksum { get; }

    /// <summary><c>author/name</c> (the text before <c>:</c>), as stored in <c>plugin_id</c> columns.</summary>
    public string PluginId => Author.Length == 0 ? Name : $"{Author}/{Name}";

    /// <summary>Whether <paramref name="pluginId"/> is <see cref="PluginId"/>, ordinally, without building it (the identifier begins with it).</summary>
    public bool IsPluginId(string? pluginId) =>
        pluginId is not null && pluginId.AsSpan().SequenceEqual(Value.AsSpan(0, Author.Length == 0 ? Name.Length : Author.Length + 1 + Name.Length));

    public static bool TryParse([NotNullWhen(true)] string? value, [NotNullWhen(true)] out PluginUniqueIdentifier? identifier)
    {
        identifier = null;
        if (value is null)
        {
            return false;
        }

        // A hand-written scan of the daemon's pattern: it runs on every identifier column of every row on each scan, and
        // a Regex match with its groups costs several allocations per row. MatchesDaemonRegex keeps the pattern itself,
        // and a test compares the two on generated strings.
        if (!Scan(value, out var slash, out var colon, out var at))
        {
            return false;
        }

        identifier = new PluginUniqueIdentifier(
            value,
            slash < 0 ? string.Empty : value[..slash],
            value[(slash + 1)..colon],
            value[(colon + 1)..at],
            value[(at + 1)..]);
        return true;
    }

    /// <summary>The daemon's regex itself (the reference <see cref="TryParse"/> is tested against).</summary>
    internal static bool MatchesDaemonRegex(string value) => DaemonRegex().IsMatch(value);

    // The pattern, position by position: [author/]name (name characters, one optional slash), ':', 2 to 4 dot-separated
    // runs of 1-4 digits, an optional '-' and 1-16 of [0-9A-Za-z_], '@', 32-64 lowercase hex, the end. No part's
    // characters overlap the separator that ends it, so one forward pass decides, as the regex does after backtracking.
    private static bool Scan(string value, out int slash, out int colon, out int at)
    {
        slash = -1;
        colon = -1;
        at = -1;
        var i = NameRun(value, 0);
        if (i < value.Length && value[i] == '/')
        {
            if (i is 0 or > 64)
            {
                return false;
            }

            slash = i;
            i = NameRun(value, i + 1);
        }

        var nameLength = i - (slash + 1);
        if (nameLength is 0 or > 255 || i >= value.Length || value[i] != ':')
        {
            return false;
        }

        colon = i++;
        for (var part = 0; ; part++)
        {
            var digits = i;
            while (i < value.Length && char.IsAsciiDigit(value[i]))
            {
                i++;
            }

            if (i - digits is 0 or > 4)
            {
                return false;
            }

            if (part < 3 && i < value.Length && value[i] == '.')
            {
                i++;
                continue;
            }

            if (part == 0)
            {
                return false;
            }

            break;
        }

        if (i < value.Length && value[i] == '-')
        {
            var suffix = ++i;
            while (i < value.Length && (char.IsAsciiLetterOrDigit(value[i]) || value[i] == '_'))
            {
                i++;
            }

            if (i - suffix is 0 or > 16)
            {
                return false;
            }
        }

        if (i >= value.Length || value[i] != '@')
        {
            return false;
        }

        at = i++;
        var hex = i;
        while (i < value.Length && (char.IsAsciiDigit(value[i]) || value[i] is >= 'a' and <= 'f'))
        {
            i++;
        }

        return i == value.Length && i - hex is >= 32 and <= 64;
    }

    private static int NameRun(string value, int i)
    {
        while (i < value.Length && (value[i] is >= 'a' and <= 'z' || char.IsAsciiDigit(value[i]) || value[i] is '_' or '-'))
        {
            i++;
        }

        return i;
    }

    public static PluginUniqueIdentifier Parse(string value) =>
        TryParse(value, out var identifier)
            ? identifier
            : throw new FormatException($"plugin_unique_identifier is not valid: {value}");

    /// <summary>Builds <c>author/name:version@checksum</c> the way the daemon's decoder does (docs/daemon/identifiers.md).</summary>
    public static PluginUniqueIdentifier Create(string author, string name, string version, string checksum) =>
        Parse(author.Length == 0 ? $"{name}:{version}@{checksum}" : $"{author}/{name}:{version}@{checksum}");

    public override string ToString() => Value;

    [GeneratedRegex(
        @"\A(?:(?<author>[a-z0-9_-]{1,64})/)?(?<name>[a-z0-9_-]{1,255}):([0-9]{1,4})(\.[0-9]{1,4}){1,3}(-[0-9A-Za-z_]{1,16})?@[a-f0-9]{32,64}\z",
        RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    private static partial Regex DaemonRegex();
}
