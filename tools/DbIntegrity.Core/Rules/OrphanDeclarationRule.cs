using DbIntegrity.Core.Reporting;
using DbIntegrity.Core.Scanning;

namespace DbIntegrity.Core.Rules;

/// <summary>
/// A declaration (with its package) that no plugins row uses: an upload never installed, or an uninstall before daemon
/// 0.6.2 (reference §1.5 item 5, §7.9). Without its package it is declaration-package-missing instead.
/// </summary>
public sealed class OrphanDeclarationRule : IIdentifierRule
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
                $"{group.Key} is uploaded (declaration and package) but not installed anywhere. Harmless.",
                new FindingLocation { Table = "plugin_declarations", RowId = row.Id, Identifier = group.Key, PluginId = row.PluginId },
                row.Newest);
        }
    }
}
