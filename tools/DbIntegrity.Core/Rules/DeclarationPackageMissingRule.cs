namespace DbIntegrity.Core.Rules;

/// <summary>
/// A declaration whose package object is gone: Dify sees the manifest, assumes the package is uploaded and skips the
/// re-upload, then the install or upgrade fails (docs/daemon/storage.md#the-30-second-loop last case, daemon#736). The incident that started this project.
/// </summary>
internal sealed class DeclarationPackageMissingRule : IIdentifierRule
{
    public RuleDescriptor Descriptor { get; } = new()
    {
        Id = "declaration-package-missing",
        Severity = Severity.Error,
        Summary = "A plugin_declarations row whose plugin_packages/<P> object is missing (installs and upgrades fail, daemon#736).",
    };

    public void Evaluate(IdentifierGroup group, RuleContext context)
    {
        if (group.PackageObject is not null)
        {
            return;
        }

        var packageKey = context.Layout.PackageKey(group.Key);
        foreach (var row in group.Declarations)
        {
            context.Report(
                $"plugin_declarations has {group.Key} but {packageKey} does not exist. Dify reads the declaration, treats the package as already uploaded and skips "
                + $"the upload, so installing or upgrading to this version fails with 'failed to get package file' (daemon#736).",
                new FindingLocation { Table = "plugin_declarations", RowId = row.Id, Identifier = group.Key, ObjectKey = packageKey, PluginId = row.PluginId },
                row.Newest,
                new Recheck.ObjectMissing(packageKey),
                new Recheck.Query("SELECT EXISTS (SELECT 1 FROM plugin_declarations WHERE id = $1::uuid)", row.Id));
        }
    }
}
