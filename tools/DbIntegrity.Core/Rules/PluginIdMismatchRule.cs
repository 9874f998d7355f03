using System.Data.Common;
using DbIntegrity.Core.Database;
using DbIntegrity.Core.Plugins;

namespace DbIntegrity.Core.Rules;

/// <summary><c>plugin_id</c> is not the identifier's <c>author/name</c>, the text before <c>:</c> (docs/daemon/database.md#invariants item 1, docs/daemon/rules.md#refers-and-plugin-id).</summary>
public sealed class PluginIdMismatchRule : IDatabaseRule
{
    public RuleDescriptor Descriptor { get; } = new()
    {
        Id = "plugin-id-mismatch",
        Severity = Severity.Error,
        Summary = "A row's plugin_id is not the author/name part of its plugin_unique_identifier.",
        RequiredColumns = new Dictionary<string, string[]> { ["plugins"] = ["plugin_unique_identifier", "plugin_id"] },
    };

    // The SQL filter only narrows the rows; whether the identifier is valid is decided by the exact regex in C#.
    public string BuildSql(DatabaseSchema schema) =>
        IdentifierTables.UnionSql(schema, "plugin_id IS DISTINCT FROM split_part(plugin_unique_identifier, ':', 1)", requiredColumn: "plugin_id");

    public void Evaluate(DbDataReader row, RuleContext context)
    {
        var identifier = RowValues.Text(row, 4);
        // An invalid identifier is identifier-invalid's finding; its plugin_id cannot be judged.
        if (!PluginUniqueIdentifier.TryParse(identifier, out var parsed))
        {
            return;
        }

        var table = RowValues.Text(row, 0)!;
        var pluginId = RowValues.Text(row, 3);
        context.Report(
            $"{table} row {RowValues.Text(row, 1)} has plugin_id \"{pluginId}\" but its identifier {identifier} belongs to {parsed.PluginId}. "
            + "The daemon looks plugins up by plugin_id for uninstall, upgrade and endpoints, so this row is found for the wrong plugin or not at all.",
            new FindingLocation { Table = table, RowId = RowValues.Text(row, 1), Identifier = identifier, TenantId = RowValues.Text(row, 2), PluginId = pluginId },
            RowValues.Time(row, 5));
    }
}
