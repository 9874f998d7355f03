using System.Data.Common;
using DbIntegrity.Core.Database;
using DbIntegrity.Core.Packages;
using DbIntegrity.Core.Plugins;

namespace DbIntegrity.Core.Rules;

/// <summary>
/// An installation without the one category row its declaration calls for (docs/daemon/database.md#invariants item 4): the tool, model,
/// agent strategy, datasource or trigger table row that Dify lists providers from, with the installation's tenant,
/// plugin id and identifier. A row left at another version (an upgrade rewrites it, curd/atomic.go UpgradePlugin) is
/// not that row. Endpoint-only plugins have none, and so does a declaration whose manifest lists provider files but
/// carries no provider block: InstallPlugin writes a category row only for a non-nil block.
/// </summary>
internal sealed class CategoryRowMissingRule : IDatabaseRule
{
    private static readonly PluginCategory[] Categories = [.. Enum.GetValues<PluginCategory>().Where(c => c.InstallationTable() is not null)];

    private string? _currentIdentifier;
    private DeclarationSummary? _currentDeclaration;

    public RuleDescriptor Descriptor { get; } = new()
    {
        Id = "category-row-missing",
        Severity = Severity.Error,
        Summary = "An installation has no row in the category table its declaration calls for (tool, model, agent strategy, datasource, trigger).",
        RequiredColumns = new Dictionary<string, string[]>
        {
            ["plugin_installations"] = ["tenant_id", "plugin_id", "plugin_unique_identifier", "runtime_type", "created_at", "updated_at"],
            ["plugin_declarations"] = ["declaration"],
        },
    };

    // Rows come ordered by identifier and carry the declaration only on the first row of each identifier, so every
    // declaration crosses the wire and is parsed once however many tenants installed it.
    public string BuildSql(DatabaseSchema schema)
    {
        var tables = Categories.Select(c => c.InstallationTable()!).Where(t => schema.HasColumn(t, "tenant_id") && schema.HasColumn(t, "plugin_id")).ToList();
        // One line per category row of the tenant and plugin: "table:identifier". Each category table is aggregated
        // once and hash-joined (a correlated subquery per installation and table cost an index probe each: most of this
        // query's time at 10,000 plugins). A legacy table without plugin_unique_identifier keeps the correlated form,
        // since its lines carry the installation's own identifier. The declaration is fetched after the sort, for an
        // identifier's first row only, so the sort does not carry 2 KB per installation.
        var joined = tables.Select((t, n) => (Table: t, Alias: $"c{n}")).Where(t => schema.HasColumn(t.Table, "plugin_unique_identifier")).ToList();
        var rows = tables.Count == 0
            ? "''"
            : "concat_ws(E'\\n', " + string.Join(", ", tables.Select((t, n) => joined.Any(j => j.Table == t)
                ? $"c{n}.rows"
                : $"(SELECT string_agg('{t}:' || coalesce(i.plugin_unique_identifier::text, ''), E'\\n') FROM {t} c WHERE c.tenant_id = i.tenant_id AND c.plugin_id = i.plugin_id)")) + ")";
        var joins = string.Concat(joined.Select(j => $"""

            LEFT JOIN (SELECT c.tenant_id, c.plugin_id, string_agg('{j.Table}:' || coalesce(c.plugin_unique_identifier::text, ''), E'\n') AS rows
                       FROM {j.Table} c GROUP BY c.tenant_id, c.plugin_id) {j.Alias} ON {j.Alias}.tenant_id = i.tenant_id AND {j.Alias}.plugin_id = i.plugin_id
            """));
        var remote = schema.HasColumn("plugins", "remote_declaration")
            ? "CASE WHEN i.runtime_type = 'remote' THEN (SELECT p.remote_declaration FROM plugins p WHERE p.plugin_unique_identifier = i.plugin_unique_identifier LIMIT 1) END"
            : "NULL::text";
        return $"""
            SELECT i.id::text, i.tenant_id::text, i.plugin_id, i.plugin_unique_identifier, greatest(i.created_at, i.updated_at),
                   CASE WHEN lag(i.plugin_unique_identifier) OVER w IS DISTINCT FROM i.plugin_unique_identifier
                        THEN coalesce({remote}, (SELECT d.declaration FROM plugin_declarations d WHERE d.plugin_unique_identifier = i.plugin_unique_identifier ORDER BY d.id LIMIT 1)) END,
                   {rows}
            FROM plugin_installations i{joins}
            WINDOW w AS (ORDER BY i.plugin_unique_identifier COLLATE "C", i.id)
            ORDER BY i.plugin_unique_identifier COLLATE "C", i.id
            """;
    }

    private static string SameIdentifier(DatabaseSchema schema, string table) =>
        schema.HasColumn(table, "plugin_unique_identifier") ? " AND c.plugin_unique_identifier = i.plugin_unique_identifier" : string.Empty;

    public void Evaluate(DbDataReader row, RuleContext context)
    {
        var identifier = RowValues.Text(row, 3);
        if (!string.Equals(identifier, _currentIdentifier, StringComparison.Ordinal) || _currentIdentifier is null)
        {
            _currentIdentifier = identifier;
            var text = RowValues.Text(row, 5);
            // No declaration, or an unreadable one, is another rule's finding; the category cannot be known.
            _currentDeclaration = text is null ? null : DeclarationReader.Read(text).Declaration;
        }

        // A category newer than this schema (e.g. datasource before daemon 0.3.0) has no table to hold the row. No
        // provider means no provider block, for which install writes no row (DeclarationReader).
        if (_currentDeclaration?.Category.InstallationTable() is not { } expected || !context.Schema.HasTable(expected) || _currentDeclaration.Provider is null)
        {
            return;
        }

        var rows = (RowValues.Text(row, 6) ?? string.Empty).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => (Table: line[..line.IndexOf(':', StringComparison.Ordinal)], Identifier: line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..]))
            .ToList();
        var versions = rows.Where(r => r.Table == expected).Select(r => r.Identifier).ToList();
        // A row whose identifier the daemon rejects is identifier-invalid's finding; one fault, one finding.
        if (versions.Contains(identifier, StringComparer.Ordinal) || (versions.Count > 0 && versions.All(v => !PluginUniqueIdentifier.TryParse(v, out _))))
        {
            return;
        }

        var stale = versions.Count > 0;
        var others = rows.Select(r => r.Table).Where(t => t != expected).Distinct(StringComparer.Ordinal).ToList();
        var id = RowValues.Text(row, 0)!;
        var tenant = RowValues.Text(row, 1);
        var pluginId = RowValues.Text(row, 2);
        var elsewhere = others.Count > 0 ? $" (rows exist in {string.Join(", ", others)} instead)" : string.Empty;
        var what = stale
            ? $"its {expected} row is for another version of the plugin, not {identifier} (an upgrade rewrites it)"
            : $"{expected} has no row for it{elsewhere}";
        context.Report(
            $"Tenant {tenant} has {pluginId} installed ({identifier}), a {_currentDeclaration.Category.DeclarationKey()} plugin, but {what}. "
            + $"Dify lists the tenant's providers from that table, so provider {_currentDeclaration.Provider} "
            + (stale ? "resolves to the other version's declaration, or fails when that is gone." : "does not appear and cannot be used."),
            new FindingLocation
            {
                Table = "plugin_installations",
                RowId = id,
                Identifier = identifier,
                TenantId = tenant,
                PluginId = pluginId,
                // presentIn: category tables that do hold a row for this tenant and plugin (repair leaves such a
                // disagreement between declaration and rows to a person).
                Details = new Dictionary<string, string>
                {
                    ["expectedTable"] = expected,
                    ["provider"] = _currentDeclaration.Provider ?? string.Empty,
                    ["presentIn"] = string.Join(',', others),
                    ["staleIn"] = stale ? expected : string.Empty,
                },
            },
            RowValues.Time(row, 4),
            new Recheck.Query(
                $"SELECT EXISTS (SELECT 1 FROM plugin_installations i WHERE i.id = $1::uuid AND NOT EXISTS (SELECT 1 FROM {expected} c WHERE c.tenant_id = i.tenant_id AND c.plugin_id = i.plugin_id{SameIdentifier(context.Schema, expected)}))",
                id));
    }
}
