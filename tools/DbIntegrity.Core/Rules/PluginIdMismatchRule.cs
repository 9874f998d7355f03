using System.Data.Common;
using DbIntegrity.Core.Database;
using DbIntegrity.Core.Plugins;

namespace DbIntegrity.Core.Rules;

/// <summary><c>plugin_id</c> is not the identifier's <c>author/name</c>, the text before <c>:</c> (docs/daemon/database.md#invariants item 1, docs/daemon/rules.md#refers-and-plugin-id).</summary>
/// <remarks>
/// When the identifier pass runs it holds every <c>plugins</c> and <c>plugin_declarations</c> row already, so those two
/// are judged from it (<see cref="Observe"/>) and the query reads the other tables only: a tenth of a second of
/// PostgreSQL's CPU at 10⁵ identifiers, most of it the declarations' wide rows.
/// </remarks>
internal sealed class PluginIdMismatchRule : IPassSharedRule
{
    public RuleDescriptor Descriptor { get; } = new()
    {
        Id = "plugin-id-mismatch",
        Severity = Severity.Error,
        Summary = "A row's plugin_id is not the author/name part of its plugin_unique_identifier.",
        RequiredColumns = new Dictionary<string, string[]> { ["plugins"] = ["plugin_unique_identifier", "plugin_id"] },
    };

    // The SQL filter only narrows the rows; whether the identifier is valid is decided by the exact regex in C#.
    public bool PassRuns { get; set; }

    // The installations' digest has no plugin_id: the query reads plugin_installations either way.
    public bool PassReadsInstallations { get; set; }

    public string BuildSql(DatabaseSchema schema) =>
        IdentifierTables.UnionSql(schema, "plugin_id::text COLLATE \"C\" IS DISTINCT FROM split_part(plugin_unique_identifier::text COLLATE \"C\", ':', 1)", requiredColumn: "plugin_id", except: PassRuns ? IPassSharedRule.PassTables : null);

    public void Evaluate(DbDataReader row, RuleContext context)
    {
        var identifier = RowValues.Text(row, 4);
        // An invalid identifier is identifier-invalid's finding; its plugin_id cannot be judged.
        if (!PluginUniqueIdentifier.TryParse(identifier, out var parsed))
        {
            return;
        }

        Report(context, RowValues.Text(row, 0)!, RowValues.Text(row, 1), identifier, RowValues.Text(row, 2), RowValues.Text(row, 3), parsed, RowValues.Time(row, 5));
    }

    // The same rows as the query's filter would pass (byte for byte, as the query compares): a valid identifier (the
    // text before its ':' is then exactly its PluginId) and a plugin_id, NULL included, that is not that text; only in tables that have the column.
    public void Observe(IdentifierGroup group, RuleContext context)
    {
        if (group.Parsed is not { } parsed)
        {
            return;
        }

        var schema = context.Schema;
        if (schema.HasColumn("plugins", "plugin_id"))
        {
            // Plain loops: the pass calls this once per identifier, and a LINQ filter allocated 25 MiB per 10⁵-identifier scan.
            foreach (var row in group.Plugins)
            {
                if (parsed.IsPluginId(row.PluginId))
                {
                    continue;
                }

                Report(context, "plugins", row.Id, row.Identifier, null, row.PluginId, parsed, IdentifierTables.Newest(schema, "plugins", row.CreatedAt, row.UpdatedAt));
            }
        }

        if (schema.HasColumn("plugin_declarations", "plugin_id"))
        {
            foreach (var row in group.Declarations)
            {
                if (parsed.IsPluginId(row.PluginId))
                {
                    continue;
                }

                Report(context, "plugin_declarations", row.Id, row.Identifier, null, row.PluginId, parsed, IdentifierTables.Newest(schema, "plugin_declarations", row.CreatedAt, row.UpdatedAt));
            }
        }
    }

    private static void Report(
        RuleContext context, string table, string? rowId, string? identifier, string? tenantId, string? pluginId, PluginUniqueIdentifier parsed, DateTimeOffset? newest) =>
        context.Report(
            $"{table} row {rowId} has plugin_id \"{pluginId}\" but its identifier {identifier} belongs to {parsed.PluginId}. "
            + $"The daemon looks plugins up by plugin_id for uninstall, upgrade and endpoints, so this row is found for the wrong plugin or not at all.",
            new FindingLocation { Table = table, RowId = rowId, Identifier = identifier, TenantId = tenantId, PluginId = pluginId },
            newest);
}
