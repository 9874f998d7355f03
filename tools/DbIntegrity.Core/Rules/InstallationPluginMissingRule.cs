using System.Data.Common;
using DbIntegrity.Core.Database;

namespace DbIntegrity.Core.Rules;

/// <summary>An installation whose identifier has no <c>plugins</c> row (docs/daemon/database.md#invariants item 3, docs/daemon/rules.md#installations).</summary>
public sealed class InstallationPluginMissingRule : IDatabaseRule
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

    public string BuildSql(DatabaseSchema schema) => """
        SELECT i.id::text, i.tenant_id::text, i.plugin_id, i.plugin_unique_identifier, greatest(i.created_at, i.updated_at)
        FROM plugin_installations i
        WHERE NOT EXISTS (SELECT 1 FROM plugins p WHERE p.plugin_unique_identifier = i.plugin_unique_identifier)
        """;

    public void Evaluate(DbDataReader row, RuleContext context)
    {
        var id = RowValues.Text(row, 0)!;
        var tenant = RowValues.Text(row, 1);
        var identifier = RowValues.Text(row, 3);
        context.Report(
            $"Tenant {tenant} has {RowValues.Text(row, 2)} installed as {identifier ?? "(null)"}, but no plugins row exists for that identifier. "
            + "The daemon cannot resolve the installation: the tenant's plugin list and every call to this plugin fail.",
            new FindingLocation { Table = "plugin_installations", RowId = id, Identifier = identifier, TenantId = tenant },
            RowValues.Time(row, 4),
            new Recheck.Query(
                "SELECT EXISTS (SELECT 1 FROM plugin_installations WHERE id = $1::uuid) AND NOT EXISTS (SELECT 1 FROM plugins WHERE plugin_unique_identifier = $2)",
                id, (object?)identifier ?? DBNull.Value));
    }
}
