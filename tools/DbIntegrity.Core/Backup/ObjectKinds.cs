using DbIntegrity.Core.Configuration;

namespace DbIntegrity.Core.Backup;

/// <summary>Classifies a daemon key by its prefix (reference §3.2).</summary>
internal static class ObjectKinds
{
    public static BackupObjectKind Of(string key, StorageLayout layout) =>
        key.StartsWith(layout.PackagePath + "/", StringComparison.Ordinal) ? BackupObjectKind.Package
        : key.StartsWith(layout.InstalledPath + "/", StringComparison.Ordinal) ? BackupObjectKind.Installed
        : key.StartsWith(layout.MediaPath + "/", StringComparison.Ordinal) ? BackupObjectKind.Asset
        : BackupObjectKind.Other;

    /// <summary>The identifier part of a package or installed key, or null.</summary>
    public static string? Identifier(string key, StorageLayout layout) => Of(key, layout) switch
    {
        BackupObjectKind.Package => key[(layout.PackagePath.Length + 1)..],
        BackupObjectKind.Installed => key[(layout.InstalledPath.Length + 1)..],
        _ => null,
    };
}
