using System.Globalization;

namespace DbIntegrity.Core.Rules;

/// <summary>
/// Several <c>plugins</c> rows share one identifier. Possible before daemon 0.5.4; the 0.5.4 migration then fails to
/// create the UNIQUE index idx_plugin_unique_identifier (docs/daemon/database.md#schema-history, docs/daemon/issues.md#issues dify#38276).
/// Read in the identifier pass, which holds each identifier's plugins rows together (no GROUP BY of its own).
/// </summary>
internal sealed class DuplicatePluginRowRule : IIdentifierRule
{
    public RuleDescriptor Descriptor { get; } = new()
    {
        Id = "duplicate-plugin-row",
        Severity = Severity.Error,
        Summary = "Several plugins rows share one plugin_unique_identifier (breaks the 0.5.4 unique index).",
        RequiredColumns = new Dictionary<string, string[]> { ["plugins"] = ["plugin_unique_identifier", "refers", "created_at", "updated_at"] },
    };

    public void Evaluate(IdentifierGroup group, RuleContext context)
    {
        if (group.Plugins.Count < 2)
        {
            return;
        }

        // Oldest first, as PostgreSQL orders created_at (NULL last) then id (a uuid orders as its lowercase text).
        var ordered = group.Plugins.OrderBy(p => p.CreatedAt is null).ThenBy(p => p.CreatedAt).ThenBy(p => p.Id, StringComparer.Ordinal);
        var rows = string.Join(',', ordered.Select(p => $"{p.Id}={p.Refers.ToString(CultureInfo.InvariantCulture)}"));
        var count = group.Plugins.Count;
        var identifier = group.Key;
        context.Report(
            $"{count} plugins rows share {identifier} (ids and refers: {rows}). Upgrading the daemon to 0.5.4 or later fails with "
            + $"'could not create unique index \"idx_plugin_unique_identifier\" (SQLSTATE 23505)' until they are merged into one row (dify#38276).",
            new FindingLocation
            {
                Table = "plugins",
                Identifier = identifier,
                Details = new Dictionary<string, string> { ["rows"] = rows, ["count"] = count.ToString(CultureInfo.InvariantCulture) },
            },
            group.Plugins.Select(p => p.Newest).Max(),
            new Recheck.Query("SELECT count(*) > 1 FROM plugins WHERE plugin_unique_identifier = $1", identifier));
    }
}
