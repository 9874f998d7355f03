using DbIntegrity.Core.Database;
using DbIntegrity.Core.Packages;

namespace DbIntegrity.Core.Rules;

/// <summary>The tables whose <c>plugin_unique_identifier</c> the daemon parses when it reads them (docs/daemon/identifiers.md "Reading DB rows").</summary>
internal static class IdentifierTables
{
    private static readonly string[] Candidates =
    [
        "plugins", "plugin_declarations", "plugin_installations", "serverless_runtimes",
        .. Enum.GetValues<PluginCategory>().Select(c => c.InstallationTable()).OfType<string>(),
    ];

    /// <summary>
    /// One SELECT per existing table, UNION ALL-ed: table name, id, tenant (or NULL), plugin_id (or NULL), identifier,
    /// newest timestamp, filtered by <paramref name="where"/>; only tables that have <paramref name="requiredColumn"/> when given,
    /// and none of <paramref name="except"/>. With no table left, a query that returns no row.
    /// </summary>
    public static string UnionSql(DatabaseSchema schema, string where, string? requiredColumn = null, IReadOnlyList<string>? except = null)
    {
        var parts = Candidates
            .Where(t => schema.HasColumn(t, "plugin_unique_identifier") && (requiredColumn is null || schema.HasColumn(t, requiredColumn)) && except?.Contains(t) != true)
            .Select(t => $"""
                SELECT '{t}'::text, id::text, {(schema.HasColumn(t, "tenant_id") ? "tenant_id::text" : "NULL::text")},
                       {(schema.HasColumn(t, "plugin_id") ? "plugin_id::text" : "NULL::text")}, plugin_unique_identifier::text,
                       {Newest(schema, t)}
                FROM {t} WHERE {where}
                """)
            .ToList();
        return parts.Count > 0 ? string.Join("\nUNION ALL\n", parts)
            : "SELECT NULL::text, NULL::text, NULL::text, NULL::text, NULL::text, NULL::timestamptz WHERE false";
    }

    /// <summary>
    /// Every distinct <c>plugin_unique_identifier</c> of every existing table, NULL included (one row): what a value
    /// check needs, a fraction of the rows where tenants share plugins. Compared byte for byte (<c>COLLATE "C"</c>): a
    /// case-insensitive column collation must not fold two spellings into one, nor mixed collations fail the query.
    /// Of the tables in <paramref name="nullsOnly"/> (those whose other values the identifier pass checks), only whether
    /// one holds a NULL: a probe of a row, by the identifier's index where there is one. Only the tables in
    /// <paramref name="only"/> when given, and none of <paramref name="except"/>; with no table left, a query that
    /// returns no row.
    /// </summary>
    public static string DistinctSql(
        DatabaseSchema schema, IReadOnlyList<string>? nullsOnly = null, IReadOnlyList<string>? only = null, IReadOnlyList<string>? except = null)
    {
        var parts = Candidates
            .Where(t => schema.HasColumn(t, "plugin_unique_identifier") && only?.Contains(t) != false && except?.Contains(t) != true)
            .Select(t => nullsOnly?.Contains(t) == true
                ? $"(SELECT NULL::text FROM {t} WHERE plugin_unique_identifier IS NULL LIMIT 1)"
                : $"SELECT plugin_unique_identifier::text COLLATE \"C\" FROM {t}")
            .ToList();
        return parts.Count == 0 ? "SELECT NULL::text WHERE false"
            : $"SELECT DISTINCT identifier FROM ({string.Join(" UNION ALL ", parts)}) AS identifiers (identifier)";
    }

    /// <summary>What <see cref="UnionSql"/> returns as a row's newest timestamp, for a row the identifier pass read.</summary>
    public static DateTimeOffset? Newest(DatabaseSchema schema, string table, DateTimeOffset? createdAt, DateTimeOffset? updatedAt) =>
        schema.HasColumn(table, "created_at") && schema.HasColumn(table, "updated_at") ? PluginRow.Max(createdAt, updatedAt) : null;

    private static string Newest(DatabaseSchema schema, string table) =>
        schema.HasColumn(table, "created_at") && schema.HasColumn(table, "updated_at") ? "greatest(created_at, updated_at)" : "NULL::timestamptz";
}
