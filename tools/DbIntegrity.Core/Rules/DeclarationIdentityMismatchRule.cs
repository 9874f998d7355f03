using DbIntegrity.Core.Wording;

namespace DbIntegrity.Core.Rules;

/// <summary>
/// (--deep) The stored declaration, or the package's own manifest, names another author, name or version than the
/// identifier (docs/daemon/identifiers.md "How it is built": the identifier is <c>author/name:version</c> of the manifest plus the
/// checksum; dify-official-plugins#1048 shows installs failing on such a mismatch).
/// </summary>
internal sealed class DeclarationIdentityMismatchRule : IPackageRule
{
    public RuleDescriptor Descriptor { get; } = new()
    {
        Id = "declaration-identity-mismatch",
        Severity = Severity.Error,
        Summary = $"({HostWords.Of(UserOption.Deep)}) A declaration's or manifest's author/name/version disagrees with the identifier.",
        DeepOnly = true,
    };

    public void Evaluate(PackageInspection package, RuleContext context)
    {
        var expected = $"{package.Identifier.PluginId}:{package.Identifier.Version}";
        foreach (var row in package.Declarations)
        {
            if (row.Content is { IsReadable: true } content && $"{content.Declaration.PluginId}:{content.Declaration.Version}" is var declared && declared != expected)
            {
                context.Report(
                    $"The declaration stored for {package.Identifier.Value} describes {declared}. Dify shows and installs what the declaration says, "
                    + $"while the daemon runs the package: installs fail with an identifier mismatch (dify-official-plugins#1048).",
                    new FindingLocation { Table = "plugin_declarations", RowId = row.Id, Identifier = package.Identifier.Value, ObjectKey = package.Object.Key },
                    row.Newest);
            }
        }

        if (package.Manifest is { IsReadable: true } manifest && $"{manifest.Manifest.PluginId}:{manifest.Manifest.Version}" is var packaged && packaged != expected)
        {
            context.Report(
                $"{package.Object.Key} contains the manifest of {packaged}, not of {expected}. The object holds another plugin's package; upload the original again.",
                new FindingLocation { Identifier = package.Identifier.Value, ObjectKey = package.Object.Key },
                package.Object.LastModified);
        }
    }
}
