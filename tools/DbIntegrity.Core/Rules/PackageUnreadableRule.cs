using DbIntegrity.Core.Packages;
using DbIntegrity.Core.Wording;

namespace DbIntegrity.Core.Rules;

/// <summary>
/// (--deep) A package that is not a zip or has no readable manifest: the daemon's decoder fails on it, so launching,
/// installing and decoding it all fail (docs/daemon/packages.md#container, docs/daemon/storage.md#other-readers).
/// </summary>
internal sealed class PackageUnreadableRule : IPackageRule
{
    public RuleDescriptor Descriptor { get; } = new()
    {
        Id = "package-unreadable",
        Severity = Severity.Error,
        Summary = $"({HostWords.Of(UserOption.Deep)}) A referenced package is not a zip, or has no readable manifest.yaml.",
        DeepOnly = true,
    };

    public void Evaluate(PackageInspection package, RuleContext context)
    {
        var problem = package.ArchiveError is not null
            ? $"is not a readable .difypkg (zip) archive ({package.ArchiveError})"
            : package.Manifest is { IsReadable: false } manifest
                ? manifest.Problem switch
                {
                    ManifestProblem.NoManifest => "has no manifest.yaml",
                    _ => $"has an unusable manifest.yaml ({manifest.Error})",
                }
                : null;
        if (problem is null)
        {
            return;
        }

        context.Report(
            $"{package.Object.Key} ({package.Object.Size} bytes) {problem}. The daemon decodes this package to launch, install and read it, and all of these fail; "
            + $"upload the original package again.",
            new FindingLocation { Identifier = package.Identifier.Value, ObjectKey = package.Object.Key },
            package.Object.LastModified);
    }
}
