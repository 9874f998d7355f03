namespace DbIntegrity.Core.Rules;

/// <summary>A package no row refers to. Uploads that were never installed leave these; nothing deletes them (docs/daemon/storage.md#lifecycle, docs/daemon/rules.md#harmless-orphans).</summary>
internal sealed class OrphanPackageObjectRule : IIdentifierRule
{
    public RuleDescriptor Descriptor { get; } = new()
    {
        Id = "orphan-package-object",
        Severity = Severity.Info,
        Summary = "A plugin_packages/ object with no plugins or plugin_declarations row (upstream never deletes packages).",
    };

    public void Evaluate(IdentifierGroup group, RuleContext context)
    {
        if (group.PackageObject is not { } package || group.Plugins.Count > 0 || group.Declarations.Count > 0)
        {
            return;
        }

        context.Report(
            $"{package.Key} ({package.Size} bytes) has no plugins or plugin_declarations row. Harmless, unless a plugin_installations row still points at it "
            + $"(installation-plugin-missing reports any that does): the daemon keeps every uploaded package.",
            new FindingLocation { Identifier = group.Key, ObjectKey = package.Key },
            package.LastModified);
    }
}
