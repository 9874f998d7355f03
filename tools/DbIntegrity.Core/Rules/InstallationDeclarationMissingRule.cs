namespace DbIntegrity.Core.Rules;

/// <summary>
/// A local or serverless installation whose identifier has no <c>plugin_declarations</c> row. Remote (debug) plugins
/// keep their declaration in <c>plugins.remote_declaration</c> instead (docs/daemon/database.md#invariants item 3, docs/daemon/rules.md#installations).
/// Read in the identifier pass, where each identifier's declarations are already in hand: a digest of remote
/// installations, or of an identifier with a declaration, settles them; only the others are read in full.
/// </summary>
internal sealed class InstallationDeclarationMissingRule : IInstallationRule
{
    public RuleDescriptor Descriptor { get; } = new()
    {
        Id = "installation-declaration-missing",
        Severity = Severity.Error,
        Summary = "A local or serverless plugin_installations row points at an identifier with no plugin_declarations row.",
        RequiredColumns = new Dictionary<string, string[]>
        {
            ["plugin_installations"] = ["tenant_id", "plugin_id", "plugin_unique_identifier", "runtime_type", "created_at", "updated_at"],
            ["plugin_declarations"] = ["plugin_unique_identifier"],
        },
    };

    public bool IsSettled(IdentifierGroup group, InstallationDigest digest, RuleContext context) => digest.Remote || group.Declarations.Count > 0;

    public void Evaluate(IdentifierGroup group, InstallationRow installation, RuleContext context)
    {
        if (installation.RuntimeType == "remote" || group.Declarations.Count > 0)
        {
            return;
        }

        var identifier = installation.Identifier;
        context.Report(
            $"Tenant {installation.TenantId} has {installation.PluginId} installed as {identifier ?? "(null)"} ({installation.RuntimeType ?? "no runtime type"}), but plugin_declarations has no row for it. "
            + $"The daemon reads the manifest from plugin_declarations: the tenant's plugin list fails, and the plugin cannot be upgraded or reinstalled until the package is uploaded again.",
            new FindingLocation { Table = "plugin_installations", RowId = installation.Id, Identifier = identifier, TenantId = installation.TenantId },
            installation.Newest,
            new Recheck.Query(
                "SELECT EXISTS (SELECT 1 FROM plugin_installations WHERE id = $1::uuid) AND NOT EXISTS (SELECT 1 FROM plugin_declarations WHERE plugin_unique_identifier = $2)",
                installation.Id, (object?)identifier ?? DBNull.Value));
    }
}
