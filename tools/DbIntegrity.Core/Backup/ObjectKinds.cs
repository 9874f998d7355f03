using DbIntegrity.Core.Configuration;

namespace DbIntegrity.Core.Backup;

/// <summary>Classifies a daemon key by its prefix (docs/daemon/storage.md#key-layout).</summary>
internal static class ObjectKinds
{
    /// <summary>A key under the package or installed prefix counts as such only when the rest is a valid identifier.</summary>
    public static BackupObjectKind Of(string key, StorageLayout layout) =>
        IsIdentifierUnder(key, layout.PackagePath) ? BackupObjectKind.Package
        : IsIdentifierUnder(key, layout.InstalledPath) ? BackupObjectKind.Installed
        : key.StartsWith(layout.MediaPath + "/", StringComparison.Ordinal) ? BackupObjectKind.Asset
        : BackupObjectKind.Other;

    /// <summary>The identifier of a package or installed key, or null.</summary>
    public static string? Identifier(string key, StorageLayout layout) => Of(key, layout) switch
    {
        BackupObjectKind.Package => key[(layout.PackagePath.Length + 1)..],
        BackupObjectKind.Installed => key[(layout.InstalledPath.Length + 1)..],
        _ => null,
    };

    private static bool IsIdentifierUnder(string key, string path) =>
        key.StartsWith(path + "/", StringComparison.Ordinal) && Plugins.PluginUniqueIdentifier.TryParse(key[(path.Length + 1)..], out _);
}
