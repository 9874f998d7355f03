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

    public static bool TryParse([NotNullWhen(true)] string? value, [NotNullWhen(true)] out PluginUniqueIdentifier? identifier)
    {
        identifier = null;
        if (value is null)
        {
            return false;
        }

        var match = DaemonRegex().Match(value);
        if (!match.Success)
        {
            return false;
        }

        var colon = value.IndexOf(':', StringComparison.Ordinal);
        var at = value.LastIndexOf('@');
        identifier = new PluginUniqueIdentifier(
            value,
            match.Groups["author"].Value,
            match.Groups["name"].Value,
            value[(colon + 1)..at],
            value[(at + 1)..]);
        return true;
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
