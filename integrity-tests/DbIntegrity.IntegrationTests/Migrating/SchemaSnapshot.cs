using DbIntegrity.Core.Database;
using DbIntegrity.Core.Migrating;

namespace DbIntegrity.IntegrationTests.Migrating;

/// <summary>
/// The daemon part of a schema as comparable lines (columns in order with type, nullability and default; indexes with
/// kind and columns), so NUnit shows exactly which line differs. DbIntegrity's own tables are left out.
/// </summary>
internal static class SchemaSnapshot
{
    public static IReadOnlyList<string> Of(DatabaseSchema schema) => Of(schema, IsDaemonTable);

    /// <summary>All tables but the version table: what a migration, upstream or operator, may change.</summary>
    public static IReadOnlyList<string> OfMigrated(DatabaseSchema schema) => Of(schema, t => t != "dbintegrity_version_info");

    public static IReadOnlyList<string> Of(ExpectedSchema expected) =>
        Lines(
            expected.Tables.Select(t => (t.Name, t.Columns.Select(c => (c.Name, c.DataType, c.IsNullable, c.Default)))),
            expected.Indexes.Select(i => (i.Name, i.Table, i.Kind, i.Columns)));

    /// <summary>Every table that is not DbIntegrity's own (version table, operator tables).</summary>
    public static bool IsDaemonTable(string table) => !table.StartsWith("dbintegrity_", StringComparison.Ordinal);

    private static IReadOnlyList<string> Of(DatabaseSchema schema, Func<string, bool> include) =>
        Lines(
            schema.Tables.Values.Where(t => include(t.Name)).Select(t => (t.Name, t.Columns.OrderBy(c => c.Position).Select(c => (c.Name, c.DataType, c.IsNullable, c.Default)))),
            schema.Indexes.Where(i => include(i.Table)).Select(i => (i.Name, i.Table, Kind(i), i.Columns)));

    private static ExpectedIndexKind Kind(IndexInfo index) =>
        index.IsPrimaryKey ? ExpectedIndexKind.PrimaryKey
        : index.ConstraintName is not null ? ExpectedIndexKind.UniqueConstraint
        : index.IsUnique ? ExpectedIndexKind.Unique
        : ExpectedIndexKind.Plain;

    private static IReadOnlyList<string> Lines(
        IEnumerable<(string Table, IEnumerable<(string Name, string Type, bool Nullable, string? Default)> Columns)> tables,
        IEnumerable<(string Name, string Table, ExpectedIndexKind Kind, IReadOnlyList<string> Columns)> indexes)
    {
        var lines = new List<string>();
        foreach (var (table, columns) in tables.OrderBy(t => t.Table, StringComparer.Ordinal))
        {
            var position = 0;
            lines.AddRange(columns.Select(c => $"{table} #{++position} {c.Name} {c.Type}{(c.Nullable ? " NULL" : " NOT NULL")}{(c.Default is null ? string.Empty : " DEFAULT " + c.Default)}"));
        }

        lines.AddRange(indexes.OrderBy(i => i.Name, StringComparer.Ordinal).Select(i => $"{i.Kind} {i.Name} ON {i.Table}({string.Join(",", i.Columns)})"));
        return lines;
    }
}
