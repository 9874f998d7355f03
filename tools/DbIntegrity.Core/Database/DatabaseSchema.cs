namespace DbIntegrity.Core.Database;

/// <summary>A column as PostgreSQL reports it: <c>format_type</c> spelling (<c>character varying(255)</c>), nullability, default.</summary>
public sealed record ColumnInfo(string Name, string DataType, bool IsNullable, string? Default, int Position);

/// <summary>An index; <see cref="ConstraintName"/> is set when it backs a UNIQUE or PRIMARY KEY constraint.</summary>
public sealed record IndexInfo(string Name, string Table, bool IsUnique, bool IsPrimaryKey, IReadOnlyList<string> Columns, string? ConstraintName);

/// <summary>A table's columns in order.</summary>
public sealed record TableInfo(string Name, IReadOnlyList<ColumnInfo> Columns)
{
    public ColumnInfo? Column(string name)
    {
        // A loop, not FirstOrDefault: rules ask for each group, and a lambda capturing the name was one allocation per ask.
        foreach (var column in Columns)
        {
            if (column.Name == name)
            {
                return column;
            }
        }

        return null;
    }

    public bool HasColumn(string name) => Column(name) is not null;
}

/// <summary>
/// What the connected database's current schema holds: tables, columns and indexes. Read once per command; rules use it
/// to skip themselves on schemas that lack their tables (older daemon versions), and the baseline uses it to recognise
/// a daemon version.
/// </summary>
public sealed record DatabaseSchema(string SchemaName, IReadOnlyDictionary<string, TableInfo> Tables, IReadOnlyList<IndexInfo> Indexes)
{
    public bool HasTable(string table) => Tables.ContainsKey(table);

    public bool HasColumn(string table, string column) => Tables.TryGetValue(table, out var info) && info.HasColumn(column);

    public TableInfo? Table(string table) => Tables.GetValueOrDefault(table);

    public IndexInfo? Index(string name) => Indexes.FirstOrDefault(i => i.Name == name);

    public IEnumerable<IndexInfo> IndexesOf(string table) => Indexes.Where(i => i.Table == table);
}
