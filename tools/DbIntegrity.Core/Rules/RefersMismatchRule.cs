using System.Data.Common;
using System.Globalization;
using DbIntegrity.Core.Database;

namespace DbIntegrity.Core.Rules;

/// <summary><c>plugins.refers</c> differs from the number of installations of that identifier (docs/daemon/database.md#invariants item 2, docs/daemon/rules.md#refers-and-plugin-id).</summary>
/// <remarks>
/// When the pass reads the installations' digest it holds both sides of the comparison for every <c>plugins</c> row
/// with an identifier: the row's <c>refers</c> and its identifier's installations, counted byte for byte. The query then
/// runs only if one differs (<see cref="IDigestClearedRule"/>), or if what the pass does not read could: a row without
/// an identifier whose <c>refers</c> is not 0, or a nondeterministic collation on either identifier column (this query
/// compares in the column's collation, which could then count other spellings too).
/// </remarks>
internal sealed class RefersMismatchRule : IDigestClearedRule
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

    public bool MayFind(DigestObservations seen) => seen.RefersMayDiffer;

    // The query compares with the columns' own equality; the pass byte for byte. They agree only for text or varchar
    // (a domain over them included) in a deterministic collation: another type's equality (citext's, or char(n)'s, which
    // ignores trailing spaces) may count other spellings as the same identifier. to_jsonb reads collisdeterministic where the server has it
    // (PostgreSQL 12 and later) and NULL where it does not: before 12 every collation was deterministic.
    public string? UnseenSql(DatabaseSchema schema) => """
        SELECT EXISTS (SELECT 1 FROM plugins WHERE plugin_unique_identifier IS NULL AND coalesce(refers, 0) <> 0)
            OR EXISTS (SELECT 1 FROM pg_attribute a
                       JOIN pg_type t ON t.oid = a.atttypid
                       LEFT JOIN pg_collation c ON c.oid = a.attcollation
                       WHERE a.attrelid IN ('plugins'::regclass, 'plugin_installations'::regclass) AND a.attname = 'plugin_unique_identifier'
                         AND ((CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.oid END) NOT IN ('text'::regtype, 'varchar'::regtype)
                              OR to_jsonb(c) ->> 'collisdeterministic' = 'false'))
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
