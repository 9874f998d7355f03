using System.Data.Common;
using DbIntegrity.Core.Database;
using DbIntegrity.Core.Plugins;

namespace DbIntegrity.Core.Rules;

/// <summary>
/// An identifier column value that fails the daemon's regex (docs/daemon/identifiers.md). The check runs in C# with the exact port of
/// the daemon's regex, not in SQL, so PostgreSQL's regex dialect cannot let a value through that the daemon rejects.
/// </summary>
internal sealed class IdentifierInvalidRule : IDatabaseRule
{
    public RuleDescriptor Descriptor { get; } = new()
    {
        Id = "identifier-invalid",
        Severity = Severity.Error,
        Summary = "A plugin_unique_identifier column value fails the daemon's identifier regex.",
        RequiredColumns = new Dictionary<string, string[]> { ["plugins"] = ["plugin_unique_identifier"] },
    };

    public string BuildSql(DatabaseSchema schema) => IdentifierTables.UnionSql(schema, "true");

    public void Evaluate(DbDataReader row, RuleContext context)
    {
        var identifier = RowValues.Text(row, 4);
        if (PluginUniqueIdentifier.TryParse(identifier, out _))
        {
            return;
        }

        var table = RowValues.Text(row, 0)!;
        var shown = identifier is null ? "NULL" : $"\"{identifier}\"";
        context.Report(
            $"{table} row {RowValues.Text(row, 1)} has plugin_unique_identifier {shown}, which the daemon rejects "
            + $"('plugin_unique_identifier is not valid'). Every daemon call that reads this row fails{(table == "plugin_installations" ? ", including the tenant's whole plugin list" : string.Empty)}.",
            new FindingLocation { Table = table, RowId = RowValues.Text(row, 1), Identifier = identifier, TenantId = RowValues.Text(row, 2), PluginId = RowValues.Text(row, 3) },
            RowValues.Time(row, 5));
    }
}
