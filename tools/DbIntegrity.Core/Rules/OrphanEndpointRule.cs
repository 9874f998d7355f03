using System.Data.Common;
using DbIntegrity.Core.Database;

namespace DbIntegrity.Core.Rules;

/// <summary>
/// An endpoint whose tenant no longer has the plugin installed. Upstream's uninstall does not delete endpoints, so
/// these are expected waste (docs/daemon/database.md#invariants item 6, docs/daemon/rules.md#harmless-orphans).
/// </summary>
public sealed class OrphanEndpointRule : IDatabaseRule
{
    public RuleDescriptor Descriptor { get; } = new()
    {
        Id = "orphan-endpoint",
        Severity = Severity.Info,
        Summary = "An endpoints row whose tenant has no installation of its plugin (upstream never deletes them).",
        RequiredColumns = new Dictionary<string, string[]>
        {
            ["endpoints"] = ["tenant_id", "plugin_id", "created_at", "updated_at"],
            ["plugin_installations"] = ["tenant_id", "plugin_id"],
        },
    };

    // endpoints.tenant_id is varchar(64) while plugin_installations.tenant_id is uuid (docs/daemon/database.md#tables).
    public string BuildSql(DatabaseSchema schema) => $"""
        SELECT e.id::text, e.tenant_id, e.plugin_id, {(schema.HasColumn("endpoints", "name") ? "e.name" : "NULL::text")}, greatest(e.created_at, e.updated_at)
        FROM endpoints e
        WHERE NOT EXISTS (SELECT 1 FROM plugin_installations i WHERE i.tenant_id::text = e.tenant_id AND i.plugin_id = e.plugin_id)
        """;

    public void Evaluate(DbDataReader row, RuleContext context) =>
        context.Report(
            $"Endpoint {RowValues.Text(row, 3) ?? RowValues.Text(row, 0)} of tenant {RowValues.Text(row, 1)} belongs to {RowValues.Text(row, 2)}, which the tenant no longer has installed. Harmless; upstream leaves it behind on uninstall.",
            new FindingLocation { Table = "endpoints", RowId = RowValues.Text(row, 0), TenantId = RowValues.Text(row, 1), PluginId = RowValues.Text(row, 2) },
            RowValues.Time(row, 4));
}
