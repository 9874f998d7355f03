using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace DbIntegrity.Core.Migrating;

/// <summary>
/// A plugin daemon release tag such as <c>0.5.4</c> (docs/daemon/README.md#sources: the tags are plain <c>major.minor.patch</c>).
/// Orders numerically, so 0.10.0 is newer than 0.9.9.
/// </summary>
public sealed record DaemonVersion(int Major, int Minor, int Patch) : IComparable<DaemonVersion>
{
    // The migration id encoding (major·10⁶ + minor·10⁴ + patch·10² + sequence) leaves two digits for minor and patch.
    private const int MaxPart = 99;

    public static DaemonVersion Parse(string text) =>
        TryParse(text, out var version)
            ? version
            : throw new FormatException($"\"{text}\" is not a daemon version: use major.minor.patch, e.g. 0.5.4.");

    public static bool TryParse([NotNullWhen(true)] string? text, [NotNullWhen(true)] out DaemonVersion? version)
    {
        version = null;
        var parts = text?.Trim().TrimStart('v').Split('.');
        if (parts is not { Length: 3 })
        {
            return false;
        }

        var numbers = new int[3];
        for (var i = 0; i < 3; i++)
        {
            if (parts[i].Length == 0 || !parts[i].All(char.IsAsciiDigit)
                || !int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out numbers[i])
                || (i > 0 && numbers[i] > MaxPart) || numbers[i] > 999)
            {
                return false;
            }
        }

        version = new DaemonVersion(numbers[0], numbers[1], numbers[2]);
        return true;
    }

    /// <summary>The first migration id of this release: major·10⁶ + minor·10⁴ + patch·10².</summary>
    public long FirstMigrationId => (Major * 1_000_000L) + (Minor * 10_000L) + (Patch * 100L);

    public int CompareTo(DaemonVersion? other) => other is null ? 1 : (Major, Minor, Patch).CompareTo((other.Major, other.Minor, other.Patch));

    public static bool operator <(DaemonVersion left, DaemonVersion right) => Compare(left, right) < 0;

    public static bool operator >(DaemonVersion left, DaemonVersion right) => Compare(left, right) > 0;

    public static bool operator <=(DaemonVersion left, DaemonVersion right) => Compare(left, right) <= 0;

    public static bool operator >=(DaemonVersion left, DaemonVersion right) => Compare(left, right) >= 0;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Major}.{Minor}.{Patch}");

    private static int Compare(DaemonVersion? left, DaemonVersion? right) =>
        left is null ? (right is null ? 0 : -1) : left.CompareTo(right);
}
