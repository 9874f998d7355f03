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
    /// newest timestamp, filtered by <paramref name="where"/>; only tables that have <paramref name="requiredColumn"/> when given.
    /// </summary>
    public static string UnionSql(DatabaseSchema schema, string where, string? requiredColumn = null)
    {
        var parts = Candidates
            .Where(t => schema.HasColumn(t, "plugin_unique_identifier") && (requiredColumn is null || schema.HasColumn(t, requiredColumn)))
            .Select(t => $"""
                SELECT '{t}'::text, id::text, {(schema.HasColumn(t, "tenant_id") ? "tenant_id::text" : "NULL::text")},
                       {(schema.HasColumn(t, "plugin_id") ? "plugin_id::text" : "NULL::text")}, plugin_unique_identifier::text,
                       {Newest(schema, t)}
                FROM {t} WHERE {where}
                """);
        return string.Join("\nUNION ALL\n", parts);
    }

    /// <summary>
    /// Every distinct <c>plugin_unique_identifier</c> of every existing table, NULL included (one row): what a value
    /// check needs, a fraction of the rows where tenants share plugins. Compared byte for byte (<c>COLLATE "C"</c>): a
    /// case-insensitive column collation must not fold two spellings into one, nor mixed collations fail the query.
    /// </summary>
    public static string DistinctSql(DatabaseSchema schema)
    {
        var parts = Candidates
            .Where(t => schema.HasColumn(t, "plugin_unique_identifier"))
            .Select(t => $"SELECT plugin_unique_identifier::text COLLATE \"C\" FROM {t}");
        return $"SELECT DISTINCT identifier FROM ({string.Join(" UNION ALL ", parts)}) AS identifiers (identifier)";
    }

    private static string Newest(DatabaseSchema schema, string table) =>
        schema.HasColumn(table, "created_at") && schema.HasColumn(table, "updated_at") ? "greatest(created_at, updated_at)" : "NULL::timestamptz";
}
