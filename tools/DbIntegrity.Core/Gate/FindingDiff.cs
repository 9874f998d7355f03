using DbIntegrity.Core.Rules;

namespace DbIntegrity.Core.Gate;

/// <summary>
/// Error and warning findings that appeared or disappeared between two scans, matched by <see cref="Finding.Fingerprint"/>.
/// Info findings are left out: they never block, and past the per-rule limit they are only counted.
/// </summary>
public sealed record FindingDiff(IReadOnlyList<Finding> New, IReadOnlyList<Finding> Resolved)
{
    public static FindingDiff Between(IReadOnlyList<Finding> before, IReadOnlyList<Finding> after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var was = before.Where(f => f.Severity >= Severity.Warning).ToList();
        var now = after.Where(f => f.Severity >= Severity.Warning).ToList();
        var wasKeys = was.Select(f => f.Fingerprint).ToHashSet(StringComparer.Ordinal);
        var nowKeys = now.Select(f => f.Fingerprint).ToHashSet(StringComparer.Ordinal);
        return new FindingDiff(
            [.. now.Where(f => !wasKeys.Contains(f.Fingerprint)).DistinctBy(f => f.Fingerprint)],
            [.. was.Where(f => !nowKeys.Contains(f.Fingerprint)).DistinctBy(f => f.Fingerprint)]);
    }
}
