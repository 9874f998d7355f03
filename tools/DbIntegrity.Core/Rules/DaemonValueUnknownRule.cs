using System.Data.Common;
using DbIntegrity.Core.Database;

namespace DbIntegrity.Core.Rules;

/// <summary>
/// A row whose enum column holds a value the daemon never writes (docs/daemon/database.md#tables): every rule that branches on such a
/// column would otherwise have to guess, so the value itself is the finding, with what the daemon's code does with it.
/// </summary>
public sealed class DaemonValueUnknownRule : IDatabaseRule
{
    public RuleDescriptor Descriptor { get; } = new()
    {
        Id = "daemon-value-unknown",
        Severity = Severity.Error,
        Summary = "An enum column (install_type, runtime_type, serverless_runtimes.type, install_tasks.status) holds a value the daemon never writes.",
        RequiredColumns = new Dictionary<string, string[]> { ["plugins"] = ["install_type"] },
    };

    public string BuildSql(DatabaseSchema schema) => string.Join(
        "\nUNION ALL\n",
        DaemonVocabulary.Columns.Select((c, index) => (Column: c, Index: index)).Where(c => schema.HasColumn(c.Column.Table, c.Column.Column)).Select(c =>
        {
            var table = c.Column.Table;
            var identifier = schema.HasColumn(table, "plugin_unique_identifier") ? "t.plugin_unique_identifier" : "NULL::text";
            var tenant = schema.HasColumn(table, "tenant_id") ? "t.tenant_id::text" : "NULL::text";
            var time = schema.HasColumn(table, "created_at") && schema.HasColumn(table, "updated_at") ? "greatest(t.created_at, t.updated_at)" : "NULL::timestamptz";
            return $"SELECT {c.Index}, t.id::text, {identifier}, {tenant}, t.\"{c.Column.Column}\"::text, {time} FROM \"{table}\" t WHERE {c.Column.UnknownPredicate("t")}";
        }));

    public void Evaluate(DbDataReader row, RuleContext context)
    {
        var column = DaemonVocabulary.Columns[Convert.ToInt32(row.GetValue(0), System.Globalization.CultureInfo.InvariantCulture)];
        var id = RowValues.Text(row, 1)!;
        var value = RowValues.Text(row, 4);
        var shown = value is null ? "NULL" : $"'{value}'";
        context.Report(
            $"{column.Table}.{column.Column} is {shown} (row {id}), a value the daemon never writes (it writes {string.Join(", ", column.Values)}). {column.DaemonBehaviour}",
            new FindingLocation { Table = column.Table, RowId = id, Identifier = RowValues.Text(row, 2), TenantId = RowValues.Text(row, 3) },
            RowValues.Time(row, 5),
            new Recheck.Query($"SELECT EXISTS (SELECT 1 FROM \"{column.Table}\" t WHERE t.id::text = $1 AND {column.UnknownPredicate("t")})", id));
    }
}
