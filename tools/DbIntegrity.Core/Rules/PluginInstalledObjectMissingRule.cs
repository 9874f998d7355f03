namespace DbIntegrity.Core.Rules;

/// <summary>
/// A local plugin in use (refers &gt; 0) with no installed marker. The watchdog launches only what it lists under
/// the installed prefix, so this plugin silently never starts (docs/daemon/storage.md#the-30-second-loop "Silent", docs/daemon/rules.md#local-plugins-need-both-objects).
/// </summary>
internal sealed class PluginInstalledObjectMissingRule : IIdentifierRule
{
    public RuleDescriptor Descriptor { get; } = new()
    {
        Id = "plugin-installed-object-missing",
        Severity = Severity.Error,
        Summary = "A local plugins row with refers > 0 has no plugin/<P> object (the plugin never launches).",
        RequiredColumns = new Dictionary<string, string[]> { ["plugins"] = ["install_type", "refers"] },
    };

    public void Evaluate(IdentifierGroup group, RuleContext context)
    {
        if (group.Parsed is null || group.InstalledObject is not null)
        {
            return;
        }

        var installedKey = context.Layout.InstalledKey(group.Key);
        // An install_type outside the daemon's vocabulary (daemon-value-unknown) is routed as a non-remote plugin, so it
        // needs its marker like a local one: only remote and serverless plugins run without plugin/<P>.
        foreach (var row in group.Plugins.Where(p => p.InstallType is not ("remote" or "serverless") && p.Refers > 0))
        {
            var how = row.InstallType == "local" ? "locally" : $"with install_type {Shown(row.InstallType)}, which the daemon treats as not remote,";
            context.Report(
                $"{group.Key} is installed {how} for {row.Refers} tenant(s), but {installedKey} does not exist. The daemon only launches what it finds under "
                + $"the installed prefix, so this plugin never starts and calls to it fail with 'no available node'.",
                new FindingLocation { Table = "plugins", RowId = row.Id, Identifier = group.Key, ObjectKey = installedKey },
                row.Newest,
                new Recheck.ObjectMissing(installedKey),
                new Recheck.Query("SELECT EXISTS (SELECT 1 FROM plugins WHERE id = $1::uuid AND refers > 0)", row.Id));
        }
    }

    private static string Shown(string? value) => value is null ? "NULL" : $"'{value}'";
}
