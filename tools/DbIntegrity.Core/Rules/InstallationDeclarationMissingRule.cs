using System.Data.Common;
using DbIntegrity.Core.Database;

namespace DbIntegrity.Core.Rules;

/// <summary>
/// A local or serverless installation whose identifier has no <c>plugin_declarations</c> row. Remote (debug) plugins
/// keep their declaration in <c>plugins.remote_declaration</c> instead (docs/daemon/database.md#invariants item 3, docs/daemon/rules.md#installations).
/// </summary>
public sealed class InstallationDeclarationMissingRule : IDatabaseRule
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

    public string BuildSql(DatabaseSchema schema) => """
        SELECT i.id::text, i.tenant_id::text, i.plugin_id, i.plugin_unique_identifier, greatest(i.created_at, i.updated_at), i.runtime_type
        FROM plugin_installations i
        WHERE i.runtime_type IS DISTINCT FROM 'remote'
          AND NOT EXISTS (SELECT 1 FROM plugin_declarations d WHERE d.plugin_unique_identifier = i.plugin_unique_identifier)
        """;

    public void Evaluate(DbDataReader row, RuleContext context)
    {
        var id = RowValues.Text(row, 0)!;
        var tenant = RowValues.Text(row, 1);
        var identifier = RowValues.Text(row, 3);
        context.Report(
            $"Tenant {tenant} has {RowValues.Text(row, 2)} installed as {identifier ?? "(null)"} ({RowValues.Text(row, 5) ?? "no runtime type"}), but plugin_declarations has no row for it. "
            + "The daemon reads the manifest from plugin_declarations: the tenant's plugin list fails, and the plugin cannot be upgraded or reinstalled until the package is uploaded again.",
            new FindingLocation { Table = "plugin_installations", RowId = id, Identifier = identifier, TenantId = tenant },
            RowValues.Time(row, 4),
            new Recheck.Query(
                "SELECT EXISTS (SELECT 1 FROM plugin_installations WHERE id = $1::uuid) AND NOT EXISTS (SELECT 1 FROM plugin_declarations WHERE plugin_unique_identifier = $2)",
                id, (object?)identifier ?? DBNull.Value));
    }
}
