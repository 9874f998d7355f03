namespace DbIntegrity.Core.Rules;

/// <summary>
/// A stored declaration the daemon cannot use: broken JSON, a missing name or version, a category block without its
/// provider. The daemon deserialises it (GORM's JSON serializer) whenever it reads the row, so every read fails
/// (docs/daemon/database.md#tables <c>serializer:json</c>, docs/daemon/packages.md#declaration). Checked for <c>plugin_declarations.declaration</c> and, for remote
/// plugins, <c>plugins.remote_declaration</c>.
/// </summary>
internal sealed class DeclarationInvalidRule : IIdentifierRule
{
    public RuleDescriptor Descriptor { get; } = new()
    {
        Id = "declaration-invalid",
        Severity = Severity.Error,
        Summary = "A stored declaration (plugin_declarations.declaration, or remote_declaration of a remote plugin) is not a usable declaration.",
        RequiredColumns = new Dictionary<string, string[]> { ["plugin_declarations"] = ["declaration"] },
    };

    public void Evaluate(IdentifierGroup group, RuleContext context)
    {
        foreach (var row in group.Declarations.Where(d => d.Content is { IsReadable: false }))
        {
            context.Report(
                $"The declaration of {group.Key} in plugin_declarations cannot be read ({row.Content!.Error}). The daemon fails on every read of this row: "
                + $"fetching the manifest, installing and upgrading this version all fail.",
                new FindingLocation { Table = "plugin_declarations", RowId = row.Id, Identifier = group.Key, PluginId = row.PluginId },
                row.Newest);
        }

        foreach (var row in group.Plugins.Where(p => p.RemoteDeclaration is { IsReadable: false }))
        {
            context.Report(
                $"The remote_declaration of the remote plugin {group.Key} cannot be read ({row.RemoteDeclaration!.Error}). Tenants using this debug plugin cannot list or call it.",
                new FindingLocation { Table = "plugins", RowId = row.Id, Identifier = group.Key, PluginId = row.PluginId },
                row.Newest);
        }
    }
}
