using DbIntegrity.Core.Wording;

namespace DbIntegrity.Core.Rules;

/// <summary>
/// (--deep) The checksum recomputed from the package's entries (docs/daemon/packages.md#checksum, docs/daemon/rules.md#checksums) differs from the one in its
/// identifier: the object was replaced, truncated or belongs to another version.
/// </summary>
internal sealed class PackageChecksumMismatchRule : IPackageRule
{
    public RuleDescriptor Descriptor { get; } = new()
    {
        Id = "package-checksum-mismatch",
        Severity = Severity.Error,
        Summary = $"({HostWords.Of(UserOption.Deep)}) The checksum recomputed from a package's contents differs from its identifier's.",
        DeepOnly = true,
    };

    public void Evaluate(PackageInspection package, RuleContext context)
    {
        if (package.ComputedChecksum is not { } computed || string.Equals(computed, package.Identifier.Checksum, StringComparison.Ordinal))
        {
            return;
        }

        context.Report(
            $"{package.Object.Key} has checksum {computed} but its identifier says {package.Identifier.Checksum}: the object is not the package that was uploaded under this identifier. "
            + $"The daemon derives a plugin's identity from the package when it decodes it, so launches and installs of this version run a different package or fail; upload the original again.",
            new FindingLocation
            {
                Identifier = package.Identifier.Value,
                ObjectKey = package.Object.Key,
                Details = new Dictionary<string, string> { ["computedChecksum"] = computed },
            },
            package.Object.LastModified);
    }
}
