namespace DbIntegrity.Core.Rules;

/// <summary>
/// A local or serverless plugin with no package object. Local launches read the package (docs/daemon/storage.md#lifecycle "Launch");
/// serverless plugins need it to reinstall (docs/daemon/rules.md#serverless).
/// </summary>
public sealed class PluginPackageMissingRule : IIdentifierRule
{
    public RuleDescriptor Descriptor { get; } = new()
    {
        Id = "plugin-package-missing",
        Severity = Severity.Error,
        Summary = "A plugins row that is not remote has no plugin_packages/<P> object.",
        RequiredColumns = new Dictionary<string, string[]> { ["plugins"] = ["install_type"] },
    };

    public void Evaluate(IdentifierGroup group, RuleContext context)
    {
        if (group.Parsed is null || group.PackageObject is not null)
        {
            return;
        }

        var packageKey = context.Layout.PackageKey(group.Key);
        // Only remote (debug) plugins run without a package; an install_type outside the daemon's vocabulary
        // (daemon-value-unknown) is launched from plugin/<P> like a local one, which reads the package.
        foreach (var row in group.Plugins.Where(p => p.InstallType is not "remote"))
        {
            var consequence = row.InstallType == "serverless"
                ? "A serverless plugin needs its package to be reinstalled or redeployed; that will fail."
                : "The daemon launches local plugins from the package, so this plugin fails to start on every pass of its 30-second loop.";
            var type = row.InstallType is { } known ? known : "install_type NULL";
            context.Report(
                $"{group.Key} ({type}) has no package at {packageKey}. {consequence}",
                new FindingLocation { Table = "plugins", RowId = row.Id, Identifier = group.Key, ObjectKey = packageKey },
                row.Newest,
                new Recheck.ObjectMissing(packageKey),
                new Recheck.Query("SELECT EXISTS (SELECT 1 FROM plugins WHERE id = $1::uuid)", row.Id));
        }
    }
}
