using DbIntegrity.Core.Packages;
using DbIntegrity.Core.Plugins;
using DbIntegrity.Core.Storage;

namespace DbIntegrity.Core.Rules;

/// <summary>A downloaded package (--deep): its recomputed checksum and manifest, and the rows that refer to it.</summary>
public sealed record PackageInspection
{
    public required PluginUniqueIdentifier Identifier { get; init; }

    public required StoredObject Object { get; init; }

    /// <summary>The checksum (docs/daemon/packages.md#checksum) of the zip's entries; null when the bytes are not a zip.</summary>
    public string? ComputedChecksum { get; init; }

    /// <summary>Why the checksum could not be computed (not a zip, truncated archive).</summary>
    public string? ArchiveError { get; init; }

    /// <summary>The manifest, or why it cannot be read; null when the archive itself is unreadable.</summary>
    public ManifestReadResult? Manifest { get; init; }

    public IReadOnlyList<PluginRow> Plugins { get; init; } = [];

    public IReadOnlyList<DeclarationRow> Declarations { get; init; } = [];
}
