using FluentMigrator.Runner.VersionTableInfo;

namespace DbIntegrity.Core.Migrating;

/// <summary>
/// Where the chain records applied migrations: <c>dbintegrity_version_info</c>, a name no daemon release uses
/// (docs/daemon/database.md#tables), in the schema the daemon's tables live in. Column names are snake_case like the daemon's.
/// </summary>
internal sealed class VersionTable(string schemaName) : IVersionTableMetaData
{
    public const string Name = "dbintegrity_version_info";

    public const string VersionColumn = "version";

    public const string AppliedOnColumn = "applied_on";

    public const string DescriptionColumn = "description";

    /// <summary>The mark a baseline adds to the descriptions it records, so status can tell recorded from run.</summary>
    public const string BaselineMark = " [recorded by baseline]";

    // Never own the schema: dropping the version table after `migrate down --to 0` must not drop `public`.
    public bool OwnsSchema => false;

    public string SchemaName => schemaName;

    public string TableName => Name;

    public string ColumnName => VersionColumn;

    public string DescriptionColumnName => DescriptionColumn;

    public string UniqueIndexName => "uc_dbintegrity_version_info_version";

    public string AppliedOnColumnName => AppliedOnColumn;

    // FluentMigrator 8 would give the primary key the unique index's name and then fail creating that index.
    public bool CreateWithPrimaryKey => false;
}
