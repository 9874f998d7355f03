using System.Data.Common;
using System.Globalization;
using DbIntegrity.Core.Database;

namespace DbIntegrity.Core.Rules;

/// <summary><c>plugins.refers</c> differs from the number of installations of that identifier (docs/daemon/database.md#invariants item 2, docs/daemon/rules.md#refers-and-plugin-id).</summary>
internal sealed class RefersMismatchRule : IDatabaseRule
{
    private const string CountSql = "(SELECT count(*) FROM plugin_installations i WHERE i.plugin_unique_identifier = p.plugin_unique_identifier)";

    public RuleDescriptor Descriptor { get; } = new()
    {
        Id = "refers-mismatch",
        Severity = Severity.Error,
        Summary = "plugins.refers differs from the number of plugin_installations rows pointing at the row.",
        RequiredColumns = new Dictionary<string, string[]>
        {
            ["plugins"] = ["plugin_unique_identifier", "refers", "created_at", "updated_at"],
            ["plugin_installations"] = ["plugin_unique_identifier"],
        },
    };

    public string BuildSql(DatabaseSchema schema) => $"""
        SELECT p.id::text, p.plugin_unique_identifier, coalesce(p.refers, 0), coalesce(c.n, 0), greatest(p.created_at, p.updated_at, c.newest)
        FROM plugins p
        -- Installations counted once per identifier and hash-joined, not probed per plugins row.
        LEFT JOIN (
            SELECT i.plugin_unique_identifier, count(*) AS n, max(greatest(i.created_at, i.updated_at)) AS newest
            FROM plugin_installations i GROUP BY i.plugin_unique_identifier) c ON c.plugin_unique_identifier = p.plugin_unique_identifier
        WHERE coalesce(p.refers, 0) <> coalesce(c.n, 0)
        """;

    public void Evaluate(DbDataReader row, RuleContext context)
    {
        var id = RowValues.Text(row, 0)!;
        var identifier = RowValues.Text(row, 1);
        var refers = RowValues.Number(row, 2);
        var actual = RowValues.Number(row, 3);
        var consequence = refers > actual
            ? "Uninstalling the last tenant will not bring refers to 0, so the plugins row and its installed marker are never cleaned up."
            : "An uninstall will bring refers to 0 while tenants still use the plugin, and the daemon then deletes the plugins row and the installed marker under them.";
        context.Report(
            $"plugins.refers is {refers} for {identifier}, but {actual} installation(s) point at it. {consequence}",
            new FindingLocation
            {
                Table = "plugins",
                RowId = id,
                Identifier = identifier,
                Details = new Dictionary<string, string>
                {
                    ["refers"] = refers.ToString(CultureInfo.InvariantCulture),
                    ["installations"] = actual.ToString(CultureInfo.InvariantCulture),
                },
            },
            RowValues.Time(row, 4),
            new Recheck.Query($"SELECT coalesce(p.refers, 0) <> {CountSql} FROM plugins p WHERE p.id = $1::uuid", id));
    }
}
