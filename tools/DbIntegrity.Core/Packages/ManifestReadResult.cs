using System.Diagnostics.CodeAnalysis;

namespace DbIntegrity.Core.Packages;

/// <summary>Either the <see cref="PackageManifest"/> of a package or why it is unreadable.</summary>
internal sealed record ManifestReadResult
{
    private ManifestReadResult(PackageManifest? manifest, ManifestProblem? problem, string? error)
    {
        Manifest = manifest;
        Problem = problem;
        Error = error;
    }

    public PackageManifest? Manifest { get; }

    public ManifestProblem? Problem { get; }

    /// <summary>What is wrong, in words a report can show.</summary>
    public string? Error { get; }

    [MemberNotNullWhen(true, nameof(Manifest))]
    [MemberNotNullWhen(false, nameof(Error), nameof(Problem))]
    public bool IsReadable => Manifest is not null;

    internal static ManifestReadResult Success(PackageManifest manifest) => new(manifest, null, null);

    internal static ManifestReadResult Failure(ManifestProblem problem, string error) => new(null, problem, error);
}
