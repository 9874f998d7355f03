using System.Data.Common;
using System.Globalization;
using DbIntegrity.Core.Database;

namespace DbIntegrity.Core.Rules;

/// <summary>
/// Several <c>plugins</c> rows share one identifier. Possible before daemon 0.5.4; the 0.5.4 migration then fails to
/// create the UNIQUE index idx_plugin_unique_identifier (docs/daemon/database.md#schema-history, docs/daemon/issues.md#issues dify#38276).
/// </summary>
public sealed class DuplicatePluginRowRule : IDatabaseRule
{
    public RuleDescriptor Descriptor { get; } = new()
    {
        Id = "duplicate-plugin-row",
        Severity = Severity.Error,
        Summary = "Several plugins rows share one plugin_unique_identifier (breaks the 0.5.4 unique index).",
        RequiredColumns = new Dictionary<string, string[]> { ["plugins"] = ["plugin_unique_identifier", "refers", "created_at", "updated_at"] },
    };

    public string BuildSql(DatabaseSchema schema) => """
        SELECT plugin_unique_identifier, string_agg(id::text || '=' || coalesce(refers, 0)::text, ',' ORDER BY created_at, id), count(*),
               max(greatest(created_at, updated_at))
        FROM plugins
        WHERE plugin_unique_identifier IS NOT NULL
        GROUP BY plugin_unique_identifier
        HAVING count(*) > 1
        """;

    public void Evaluate(DbDataReader row, RuleContext context)
    {
        var identifier = RowValues.Text(row, 0)!;
        var rows = RowValues.Text(row, 1)!;
        var count = RowValues.Number(row, 2);
        context.Report(
            $"{count} plugins rows share {identifier} (ids and refers: {rows}). Upgrading the daemon to 0.5.4 or later fails with "
            + "'could not create unique index \"idx_plugin_unique_identifier\" (SQLSTATE 23505)' until they are merged into one row (dify#38276).",
            new FindingLocation
            {
                Table = "plugins",
                Identifier = identifier,
                Details = new Dictionary<string, string> { ["rows"] = rows, ["count"] = count.ToString(CultureInfo.InvariantCulture) },
            },
            RowValues.Time(row, 3),
            new Recheck.Query("SELECT count(*) > 1 FROM plugins WHERE plugin_unique_identifier = $1", identifier));
    }
}
