namespace DbIntegrity.Core.Backup;

/// <summary>Which of the daemon's prefixes an object lives under (docs/daemon/storage.md#key-layout).</summary>
public enum BackupObjectKind
{
    /// <summary><c>plugin_packages/&lt;P&gt;</c>.</summary>
    Package,

    /// <summary><c>plugin/&lt;P&gt;</c>, a full copy of the package.</summary>
    Installed,

    /// <summary><c>assets/&lt;id&gt;</c>.</summary>
    Asset,

    /// <summary>Anything else (e.g. a junk key under <c>plugin/</c> that repair deleted).</summary>
    Other,
}
