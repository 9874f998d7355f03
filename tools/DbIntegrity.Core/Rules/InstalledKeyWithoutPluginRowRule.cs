namespace DbIntegrity.Core.Rules;

/// <summary>
/// An installed marker with no plugins row. Daemon 0.6.2+ logs "Plugin table missing" for it every 30 seconds; older
/// daemons launch it anyway (docs/daemon/storage.md#the-30-second-loop step b, daemon#747, #353).
/// </summary>
internal sealed class InstalledKeyWithoutPluginRowRule : IIdentifierRule
{
    public RuleDescriptor Descriptor { get; } = new()
    {
        Id = "installed-key-without-plugin-row",
        Severity = Severity.Warning,
        Summary = "plugin/<P> exists but no plugins row has that identifier.",
    };

    public void Evaluate(IdentifierGroup group, RuleContext context)
    {
        if (group.Parsed is null || group.InstalledObject is not { } installed || group.Plugins.Count > 0)
        {
            return;
        }

        context.Report(
            $"{installed.Key} exists but no plugins row has {group.Key}. Daemon 0.6.2 and later log 'Plugin table missing for existing PLUGIN_INSTALLED_PATH' "
            + $"for it every 30 seconds; older daemons launch this uninstalled plugin anyway (daemon#747, #353).",
            new FindingLocation { Identifier = group.Key, ObjectKey = installed.Key },
            installed.LastModified,
            new Recheck.ObjectPresent(installed.Key),
            new Recheck.Query("SELECT NOT EXISTS (SELECT 1 FROM plugins WHERE plugin_unique_identifier = $1)", group.Key));
    }
}
