using System.Data.Common;
using DbIntegrity.Core.Database;
using DbIntegrity.Core.Packages;

namespace DbIntegrity.Core.Rules;

/// <summary>
/// A <c>plugin_installations</c> row as the identifier pass reads it, with the category rows of its tenant and plugin:
/// one (table, identifier) pair per row of tool_installations, ai_model_installations, … that has the same tenant_id
/// and plugin_id.
/// </summary>
internal sealed record InstallationRow(
    string Id, string? TenantId, string? PluginId, string? Identifier, DateTimeOffset? Newest, string? RuntimeType,
    IReadOnlyList<(string Table, string Identifier)> CategoryRows)
{
    /// <summary>The category tables in category order; a result row names one by its position here.</summary>
    internal static readonly string[] CategoryTables = [.. Enum.GetValues<PluginCategory>().Select(c => c.InstallationTable()).OfType<string>()];

    /// <summary>The category tables this schema has that can be joined to an installation (tenant_id and plugin_id).</summary>
    internal static List<string> CategoryTablesIn(DatabaseSchema schema) =>
        [.. CategoryTables.Where(t => schema.HasColumn(t, "tenant_id") && schema.HasColumn(t, "plugin_id"))];

    /// <summary>
    /// Installations, ordered by identifier in UTF-8 byte order (COLLATE "C", the order the identifier
    /// pass merges in), then by id, each followed by its category rows: one result row per (installation, category row)
    /// pair, or one with NULLs when it has none; <see cref="Merge"/> folds them back into one row per installation. The
    /// category tables are read once, as one UNION ALL hash-joined on tenant and plugin: no aggregate per tenant and
    /// plugin, no join per table (each cost a pass over every installation, measured at 10,000 plugins). A legacy table
    /// without plugin_unique_identifier counts as holding the installation's own identifier. Only installations whose
    /// identifier is in the text array <c>$1</c> (an index lookup each: the identifiers whose
    /// <see cref="InstallationDigest"/> did not settle every installation rule), or, <paramref name="withoutIdentifier"/>,
    /// those whose identifier is NULL (which no digest counts). The lookup compares in the column's collation (its
    /// index's) and then byte for byte: a case-insensitive collation would otherwise read a spelling the batch did not ask
    /// for. The category rows are looked up by the plugin ids of those installations only (an index scan on each table's plugin_id): joined with whole category tables, every batch of
    /// 1,000 identifiers paid a sequential scan of them, 98 ms against 15 ms at 10^5 (EXPLAIN ANALYZE), which made a scan
    /// with every plugins row gone take 16.5 s instead of 6.5 s.
    /// </summary>
    public static string Sql(DatabaseSchema schema, bool withoutIdentifier)
    {
        var runtime = schema.HasColumn("plugin_installations", "runtime_type") ? "i.runtime_type::text" : "NULL::text";
        var newest = schema.HasColumn("plugin_installations", "created_at") && schema.HasColumn("plugin_installations", "updated_at")
            ? "greatest(i.created_at, i.updated_at)" : "NULL::timestamptz";
        // Each category table is sent as its position in CategoryTables (a smallint, not its name), and a category row's
        // identifier only when it differs from the installation's: the server sorts every result row (when this read every
        // installation, at 290,000 rows for 10^5 plugins, rows half as wide no longer spilled the sort to disk). Ids, tenants and timestamps keep
        // their column types for the same reason and become text here (RowValues.Text formats a uuid as PostgreSQL does).
        return $"""
            WITH i AS MATERIALIZED (
                SELECT * FROM plugin_installations
                WHERE {(withoutIdentifier ? "plugin_unique_identifier IS NULL" : "plugin_unique_identifier::text = ANY($1::text[]) AND plugin_unique_identifier::text COLLATE \"C\" = ANY($1::text[])")}),
                 p (ids) AS (SELECT ARRAY(SELECT DISTINCT plugin_id::text FROM i WHERE plugin_id IS NOT NULL))
            SELECT i.id, i.tenant_id, i.plugin_id, i.plugin_unique_identifier, {newest}, {runtime}, c.category,
                   CASE WHEN {SameIdentifier} THEN NULL ELSE c.identifier END
            FROM i
            LEFT JOIN ({CategoryRowsSql(schema, SamePlugin)}) c (category, tenant_id, plugin_id, identifier)
                   ON c.tenant_id = i.tenant_id AND c.plugin_id = i.plugin_id
            ORDER BY i.plugin_unique_identifier COLLATE "C", i.id
            """;
    }

    /// <summary>
    /// The category rows this schema has, as one UNION ALL of (category, tenant_id, plugin_id, identifier): the table's
    /// position in <see cref="CategoryTables"/>, and the row's identifier as text, '' when it is NULL, or NULL for a
    /// legacy table without plugin_unique_identifier (such a row holds whatever identifier its installation has:
    /// <see cref="SameIdentifier"/>). <paramref name="where"/>, when given, filters every table's rows.
    /// </summary>
    internal static string CategoryRowsSql(DatabaseSchema schema, string? where = null)
    {
        var tables = CategoryTablesIn(schema);
        var filter = where is null ? string.Empty : $" WHERE {where}";
        return tables.Count == 0
            ? "SELECT NULL::int2, NULL::uuid, NULL::text, NULL::text WHERE false"
            : string.Join("\n                UNION ALL ", tables.Select(t =>
                $"SELECT {Array.IndexOf(CategoryTables, t)}::int2, tenant_id, plugin_id, "
                + $"{(schema.HasColumn(t, "plugin_unique_identifier") ? "coalesce(plugin_unique_identifier::text, '')" : "NULL::text")} FROM {t}{filter}"));
    }

    /// <summary>A category row <c>c</c> of <see cref="CategoryRowsSql"/> holds installation <c>i</c>'s identifier (byte for byte).</summary>
    internal const string SameIdentifier = "(c.identifier IS NULL OR c.identifier COLLATE \"C\" = i.plugin_unique_identifier::text COLLATE \"C\")";

    // A category row can only join an installation of the batch when it has one of their plugin ids.
    private const string SamePlugin = "plugin_id::text = ANY((SELECT ids FROM p)::text[])";

    /// <summary>One result row of <see cref="Sql"/>: the installation with at most one category row.</summary>
    public static InstallationRow Read(DbDataReader row)
    {
        var identifier = RowValues.Text(row, 3);
        return new(
            RowValues.Text(row, 0)!,
            RowValues.Text(row, 1),
            RowValues.Text(row, 2),
            identifier,
            RowValues.Time(row, 4),
            RowValues.Text(row, 5),
            row.IsDBNull(6) ? [] : [(CategoryTables[row.GetInt16(6)], RowValues.Text(row, 7) ?? identifier ?? string.Empty)]);
    }

    /// <summary>Folds consecutive result rows of one installation (one per category row) into one.</summary>
    public static async IAsyncEnumerable<InstallationRow> Merge(IAsyncEnumerable<InstallationRow> rows)
    {
        InstallationRow? current = null;
        List<(string Table, string Identifier)>? categoryRows = null;
        await foreach (var row in rows)
        {
            if (current is not null && string.Equals(current.Id, row.Id, StringComparison.Ordinal))
            {
                (categoryRows ??= [.. current.CategoryRows]).AddRange(row.CategoryRows);
                continue;
            }

            if (current is not null)
            {
                yield return categoryRows is null ? current : current with { CategoryRows = categoryRows };
            }

            current = row;
            categoryRows = null;
        }

        if (current is not null)
        {
            yield return categoryRows is null ? current : current with { CategoryRows = categoryRows };
        }
    }
}
