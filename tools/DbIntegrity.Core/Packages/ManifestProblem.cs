namespace DbIntegrity.Core.Packages;

/// <summary>Why a package's manifest could not be read.</summary>
public enum ManifestProblem
{
    /// <summary>The bytes are not a readable zip archive (the daemon says "difypkg" where Go says "zip").</summary>
    NotAZip,

    /// <summary>The zip has no <c>manifest.yaml</c> at its root.</summary>
    NoManifest,

    /// <summary><c>manifest.yaml</c> is not valid YAML, or not a mapping.</summary>
    InvalidYaml,

    /// <summary>A required key (<c>name</c>, <c>version</c>, <c>type</c>) is missing, empty or not a plain value.</summary>
    MissingField,
}
