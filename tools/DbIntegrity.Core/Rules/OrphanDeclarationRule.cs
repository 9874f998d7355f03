namespace DbIntegrity.Core.Rules;

/// <summary>
/// A declaration (with its package) that no plugins row uses: an upload never installed, or an uninstall before daemon
/// 0.6.2 (docs/daemon/database.md#invariants item 5, docs/daemon/rules.md#harmless-orphans). Without its package it is declaration-package-missing instead. The pass sees no
/// installations, so the message does not claim nothing is installed: a deleted plugins row under live installations
/// looks the same here, and installation-plugin-missing reports those installations.
/// </summary>
internal sealed class OrphanDeclarationRule : IIdentifierRule
{
    public RuleDescriptor Descriptor { get; } = new()
    {
        Id = "orphan-declaration",
        Severity = Severity.Info,
        Summary = "A plugin_declarations row with its package but no plugins row (uploaded, not installed).",
    };

    public void Evaluate(IdentifierGroup group, RuleContext context)
    {
        if (group.PackageObject is null || group.Plugins.Count > 0)
        {
            return;
        }

        foreach (var row in group.Declarations)
        {
            context.Report(
                $"{group.Key} has a declaration and its package but no plugins row: uploaded and never installed, or uninstalled by a daemon "
                + $"older than 0.6.2, which kept declarations. Harmless, unless a plugin_installations row still points at it: installation-plugin-missing reports any that does.",
                new FindingLocation { Table = "plugin_declarations", RowId = row.Id, Identifier = group.Key, PluginId = row.PluginId },
                row.Newest);
        }
    }
}
