using DbIntegrity.Core.Reporting;
using DbIntegrity.Core.Scanning;

namespace DbIntegrity.Core.Rules;

/// <summary>
/// A local or serverless plugin with no package object. Local launches read the package (reference §3.4 "Launch");
/// serverless plugins need it to reinstall (§7.8).
/// </summary>
public sealed class PluginPackageMissingRule : IIdentifierRule
{
    public RuleDescriptor Descriptor { get; } = new()
    {
        Id = "plugin-package-missing",
        Severity = Severity.Error,
        Summary = "A local or serverless plugins row has no plugin_packages/<P> object.",
        RequiredColumns = new Dictionary<string, string[]> { ["plugins"] = ["install_type"] },
    };

    public void Evaluate(IdentifierGroup group, RuleContext context)
    {
        if (group.Parsed is null || group.PackageObject is not null)
        {
            return;
        }

        var packageKey = context.Layout.PackageKey(group.Key);
        foreach (var row in group.Plugins.Where(p => p.InstallType is "local" or "serverless"))
        {
            var consequence = row.InstallType == "local"
                ? "The daemon launches local plugins from the package, so this plugin fails to start on every pass of its 30-second loop."
                : "A serverless plugin needs its package to be reinstalled or redeployed; that will fail.";
            context.Report(
                $"{group.Key} ({row.InstallType}) has no package at {packageKey}. {consequence}",
                new FindingLocation { Table = "plugins", RowId = row.Id, Identifier = group.Key, ObjectKey = packageKey },
                row.Newest,
                new Recheck.ObjectMissing(packageKey),
                new Recheck.Query("SELECT EXISTS (SELECT 1 FROM plugins WHERE id = $1::uuid)", row.Id));
        }
    }
}
