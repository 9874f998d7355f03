namespace DbIntegrity.Core.Migrating;

/// <summary>
/// A column as PostgreSQL reports it (<c>format_type</c> spelling, <c>pg_get_expr</c> default), in the shape the
/// migration chain gives it. <see cref="IsLegacy"/>: the chain keeps it because AutoMigrate never drops columns, but a
/// database the daemon created at this version does not have it. <see cref="LegacyDefault"/>: a default an older
/// database may still carry besides <see cref="Default"/>.
/// </summary>
public sealed record ExpectedColumn(string Name, string DataType, bool IsNullable, string? Default = null, bool IsLegacy = false, string? LegacyDefault = null)
{
    public string Describe() => $"{DataType}{(IsNullable ? string.Empty : " NOT NULL")}{(Default is null ? string.Empty : $" DEFAULT {Default}")}";
}

public enum ExpectedIndexKind
{
    Plain,
    Unique,
    UniqueConstraint,
    PrimaryKey,
}

/// <summary>An index (or the index behind a UNIQUE / PRIMARY KEY constraint of the same name).</summary>
public sealed record ExpectedIndex(string Name, string Table, IReadOnlyList<string> Columns, ExpectedIndexKind Kind, bool IsLegacy = false)
{
    public string Describe() => $"{Kind switch
    {
        ExpectedIndexKind.PrimaryKey => "primary key",
        ExpectedIndexKind.UniqueConstraint => "unique constraint",
        ExpectedIndexKind.Unique => "unique index",
        _ => "index",
    }} on {Table}({string.Join(", ", Columns)})";
}

/// <summary>A table and its columns in order. A legacy table is one the daemon stopped migrating but never dropped.</summary>
public sealed record ExpectedTable(string Name, IReadOnlyList<ExpectedColumn> Columns, bool IsLegacy = false);

/// <summary>The daemon schema after the upstream migrations of <see cref="Version"/>, as the chain builds it.</summary>
public sealed record ExpectedSchema(DaemonVersion Version, IReadOnlyList<ExpectedTable> Tables, IReadOnlyList<ExpectedIndex> Indexes)
{
    public ExpectedTable? Table(string name) => Tables.FirstOrDefault(t => t.Name == name);
}
