namespace DbIntegrity.Core.Repair;

/// <summary>The rule ids repair acts on (the ids are a public contract of the checker, RuleCatalogTests).</summary>
internal static class RuleIds
{
    public const string DeclarationPackageMissing = "declaration-package-missing";
    public const string PluginPackageMissing = "plugin-package-missing";
    public const string InstalledPackageMissing = "installed-package-missing";
    public const string PackageChecksumMismatch = "package-checksum-mismatch";
    public const string PackageUnreadable = "package-unreadable";
    public const string PluginInstalledObjectMissing = "plugin-installed-object-missing";
    public const string InstalledKeyInvalid = "installed-key-invalid";
    public const string InstalledKeyWithoutPluginRow = "installed-key-without-plugin-row";
    public const string DeclarationInvalid = "declaration-invalid";
    public const string RefersMismatch = "refers-mismatch";
    public const string DuplicatePluginRow = "duplicate-plugin-row";
    public const string DuplicateInstallation = "duplicate-installation";
    public const string CategoryRowOrphan = "category-row-orphan";
    public const string CategoryRowMissing = "category-row-missing";
    public const string PluginIdMismatch = "plugin-id-mismatch";
    public const string AssetMissing = "asset-missing";
}
