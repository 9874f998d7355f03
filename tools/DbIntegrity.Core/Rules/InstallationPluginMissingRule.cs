namespace DbIntegrity.Core.Rules;

/// <summary>
/// An installation whose identifier has no <c>plugins</c> row (docs/daemon/database.md#invariants item 3,
/// docs/daemon/rules.md#installations). Read in the identifier pass, where each identifier's plugins rows are already
/// in hand: an identifier with one settles all its installations, and only the others' installations are read in full.
/// </summary>
internal sealed class InstallationPluginMissingRule : IInstallationRule
{
    public RuleDescriptor Descriptor { get; } = new()
    {
        Id = "installation-plugin-missing",
        Severity = Severity.Error,
        Summary = "A plugin_installations row points at an identifier with no plugins row.",
        RequiredColumns = new Dictionary<string, string[]>
        {
            ["plugin_installations"] = ["tenant_id", "plugin_id", "plugin_unique_identifier", "created_at", "updated_at"],
            ["plugins"] = ["plugin_unique_identifier"],
        },
    };

    public bool IsSettled(IdentifierGroup group, InstallationDigest digest, RuleContext context) => group.Plugins.Count > 0;

    public void Evaluate(IdentifierGroup group, InstallationRow installation, RuleContext context)
    {
        if (group.Plugins.Count > 0)
        {
            return;
        }

        var identifier = installation.Identifier;
        context.Report(
            $"Tenant {installation.TenantId} has {installation.PluginId} installed as {identifier ?? "(null)"}, but no plugins row exists for that identifier. "
            + $"The daemon cannot resolve the installation: the tenant's plugin list and every call to this plugin fail.",
            new FindingLocation { Table = "plugin_installations", RowId = installation.Id, Identifier = identifier, TenantId = installation.TenantId },
            installation.Newest,
            new Recheck.Query(
                "SELECT EXISTS (SELECT 1 FROM plugin_installations WHERE id = $1::uuid) AND NOT EXISTS (SELECT 1 FROM plugins WHERE plugin_unique_identifier = $2)",
                installation.Id, (object?)identifier ?? DBNull.Value));
    }
}
