using DbIntegrity.Core.Database;
using DbIntegrity.Core.Packages;
using DbIntegrity.Core.Plugins;

namespace DbIntegrity.Core.Rules;

/// <summary>
/// An installation without the one category row its declaration calls for (docs/daemon/database.md#invariants item 4): the tool, model,
/// agent strategy, datasource or trigger table row that Dify lists providers from, with the installation's tenant,
/// plugin id and identifier. A row left at another version (an upgrade rewrites it, curd/atomic.go UpgradePlugin) is
/// not that row. Endpoint-only plugins have none, and so does a declaration whose manifest lists provider files but
/// carries no provider block: InstallPlugin writes a category row only for a non-nil block.
/// </summary>
internal sealed class CategoryRowMissingRule : IInstallationRule
{
    public RuleDescriptor Descriptor { get; } = new()
    {
        Id = "category-row-missing",
        Severity = Severity.Error,
        Summary = "An installation has no row in the category table its declaration calls for (tool, model, agent strategy, datasource, trigger).",
        RequiredColumns = new Dictionary<string, string[]>
        {
            ["plugin_installations"] = ["tenant_id", "plugin_id", "plugin_unique_identifier", "runtime_type", "created_at", "updated_at"],
            ["plugin_declarations"] = ["declaration"],
        },
    };

    private static readonly Comparer<string> CategoryOrder = Comparer<string>.Create((a, b) => Position(a).CompareTo(Position(b)));

    private static int Position(string table) =>
        Array.IndexOf(Enum.GetValues<PluginCategory>().Select(c => c.InstallationTable()).ToArray(), table) is var n and >= 0 ? n : int.MaxValue;

    private static string SameIdentifier(DatabaseSchema schema, string table) =>
        schema.HasColumn(table, "plugin_unique_identifier") ? " AND c.plugin_unique_identifier = i.plugin_unique_identifier" : string.Empty;

    /// <summary>The table the installation's declaration calls for a row in, or null when the rule cannot know or none is due.</summary>
    private static (string Table, DeclarationSummary Declaration)? Expected(IdentifierGroup group, bool remoteInstallation, RuleContext context)
    {
        // A remote (debugging) installation is described by plugins.remote_declaration; every other one by the
        // identifier's declaration row (the first by id when there are several, which is duplicate-plugin-row's
        // finding). No declaration, or an unreadable one, is another rule's finding: the category cannot be known.
        // A remote_declaration that cannot be read leaves the category unknown, as a missing one would not: the
        // declaration row is not what the daemon reads for a remote plugin. (The identifier pass reads
        // remote_declaration for plugins rows whose install_type is remote, the only rows the daemon writes it on.)
        var remote = remoteInstallation ? group.Plugins.Select(p => p.RemoteDeclaration).FirstOrDefault(d => d is not null) : null;
        var declaration = remote is not null ? remote.Declaration : group.Declarations.FirstOrDefault()?.Content?.Declaration;

        // A category newer than this schema (e.g. datasource before daemon 0.3.0) has no table to hold the row. No
        // provider means no provider block, for which install writes no row (DeclarationReader).
        return declaration?.Category.InstallationTable() is { } expected && context.Schema.HasTable(expected) && declaration.Provider is not null
            ? (expected, declaration)
            : null;
    }

    // Every installation it counts has a row of the expected table at its own identifier (InstallationDigest), or the
    // rule has nothing to say about the identifier's installations at all.
    public bool IsSettled(IdentifierGroup group, InstallationDigest digest, RuleContext context) =>
        Expected(group, digest.Remote, context) is not { } expected || digest.Rows == digest.Exact(expected.Table);

    public void Evaluate(IdentifierGroup group, InstallationRow installation, RuleContext context)
    {
        if (Expected(group, installation.RuntimeType == "remote", context) is not { } due)
        {
            return;
        }

        var (expected, declaration) = due;

        var identifier = installation.Identifier;
        var rows = installation.CategoryRows;
        var versions = rows.Where(r => r.Table == expected).Select(r => r.Identifier).ToList();
        // A row whose identifier the daemon rejects is identifier-invalid's finding; one fault, one finding.
        if (versions.Contains(identifier, StringComparer.Ordinal) || (versions.Count > 0 && versions.All(v => !PluginUniqueIdentifier.TryParse(v, out _))))
        {
            return;
        }

        var stale = versions.Count > 0;
        // In category order, so the message and presentIn read the same on every run (the rows arrive in join order).
        var others = rows.Select(r => r.Table).Where(t => t != expected).Distinct(StringComparer.Ordinal).Order(CategoryOrder).ToList();
        var id = installation.Id;
        var tenant = installation.TenantId;
        var pluginId = installation.PluginId;
        var elsewhere = others.Count > 0 ? $" (rows exist in {string.Join(", ", others)} instead)" : string.Empty;
        var what = stale
            ? $"its {expected} row is for another version of the plugin, not {identifier} (an upgrade rewrites it)"
            : $"{expected} has no row for it{elsewhere}";
        context.Report(
            $"Tenant {tenant} has {pluginId} installed ({identifier}), a {declaration.Category.DeclarationKey()} plugin, but {what}. "
            + $"Dify lists the tenant's providers from that table, so provider {declaration.Provider} "
            + $"{(stale ? "resolves to the other version's declaration, or fails when that is gone." : "does not appear and cannot be used.")}",
            new FindingLocation
            {
                Table = "plugin_installations",
                RowId = id,
                Identifier = identifier,
                TenantId = tenant,
                PluginId = pluginId,
                // presentIn: category tables that do hold a row for this tenant and plugin (repair leaves such a
                // disagreement between declaration and rows to a person).
                Details = new Dictionary<string, string>
                {
                    ["expectedTable"] = expected,
                    ["provider"] = declaration.Provider ?? string.Empty,
                    ["presentIn"] = string.Join(',', others),
                    ["staleIn"] = stale ? expected : string.Empty,
                },
            },
            installation.Newest,
            new Recheck.Query(
                $"SELECT EXISTS (SELECT 1 FROM plugin_installations i WHERE i.id = $1::uuid AND NOT EXISTS (SELECT 1 FROM {expected} c WHERE c.tenant_id = i.tenant_id AND c.plugin_id = i.plugin_id{SameIdentifier(context.Schema, expected)}))",
                id));
    }
}
