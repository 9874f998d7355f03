namespace DbIntegrity.Core.Rules;

/// <summary>
/// An installed marker whose package is gone. The daemon launches local plugins from the package, not from the marker,
/// so the launch fails every 30 seconds with no backoff (docs/daemon/storage.md#lifecycle "Launch", docs/daemon/storage.md#the-30-second-loop, docs/daemon/rules.md#local-plugins-need-both-objects).
/// </summary>
internal sealed class InstalledPackageMissingRule : IIdentifierRule
{
    public RuleDescriptor Descriptor { get; } = new()
    {
        Id = "installed-package-missing",
        Severity = Severity.Error,
        Summary = "plugin/<P> exists but plugin_packages/<P> does not (launch fails every 30 s).",
    };

    public void Evaluate(IdentifierGroup group, RuleContext context)
    {
        if (group.Parsed is null || group.InstalledObject is not { } installed || group.PackageObject is not null)
        {
            return;
        }

        var packageKey = context.Layout.PackageKey(group.Key);
        context.Report(
            $"{installed.Key} exists but {packageKey} does not. The daemon launches plugins from the package, so every 30 seconds it logs "
            + $"'local runtime start failed … get plugin package error' for {group.Key} and the plugin never starts. The installed marker is a full copy of the package and can restore it.",
            new FindingLocation { Identifier = group.Key, ObjectKey = packageKey, Details = new Dictionary<string, string> { ["installedKey"] = installed.Key } },
            installed.LastModified,
            new Recheck.ObjectMissing(packageKey),
            new Recheck.ObjectPresent(installed.Key));
    }
}
