namespace DbIntegrity.Migrations.Preconditions;

/// <summary>
/// Preconditions for migrations that create a table, column or index the daemon may have created first: daemons up
/// to 0.5.5 run GORM AutoMigrate on every start (docs/daemon/database.md#migrations), so a daemon upgraded before <c>dbintegrity migrate
/// up</c> ran leaves the object in place and the migration fails with 42P07/42701 ("already exists").
/// </summary>
internal static class CreatedAhead
{
    public static MigrationPrecondition Table(string table, long migrationId, string daemonVersion) => new()
    {
        Id = $"table-absent:{table}",
        Description = $"Table {table} does not exist yet (this migration creates it).",
        OffendingRowsSql = $"""
            SELECT '{table}' AS "table", 'exists before the migration that creates it' AS problem
            WHERE to_regclass(quote_ident(current_schema()) || '.{table}') IS NOT NULL
            """,
        Remedy = Remedy(table, migrationId, daemonVersion),
        RepairSql = RecordByHand(migrationId, daemonVersion),
    };

    public static MigrationPrecondition Column(string table, string column, long migrationId, string daemonVersion) => new()
    {
        Id = $"column-absent:{table}.{column}",
        Description = $"Column {table}.{column} does not exist yet (this migration adds it).",
        OffendingRowsSql = $"""
            SELECT '{table}' AS "table", '{column}' AS "column", 'exists before the migration that adds it' AS problem
            FROM information_schema.columns
            WHERE table_schema = current_schema() AND table_name = '{table}' AND column_name = '{column}'
            """,
        Remedy = Remedy($"{table}.{column}", migrationId, daemonVersion),
        RepairSql = RecordByHand(migrationId, daemonVersion),
    };

    public static MigrationPrecondition Index(string index, long migrationId, string daemonVersion) => new()
    {
        Id = $"index-absent:{index}",
        Description = $"Index {index} does not exist yet (this migration creates it).",
        OffendingRowsSql = $"""
            SELECT '{index}' AS "index", 'exists before the migration that creates it' AS problem
            WHERE to_regclass(quote_ident(current_schema()) || '.{index}') IS NOT NULL
            """,
        Remedy = Remedy(index, migrationId, daemonVersion),
        RepairSql = RecordByHand(migrationId, daemonVersion),
    };

    private static string Remedy(string name, long migrationId, string daemonVersion) =>
        $"{name} was most likely created by daemon {daemonVersion} or later itself (its AutoMigrate runs on start up to 0.5.5, docs/daemon/database.md#migrations) "
        + $"before DbIntegrity applied migration {migrationId}. If it has the shape daemon {daemonVersion} gives it, record the migration as applied "
        + "instead of running it (the SQL below; dbintegrity gate then reports it as applied without a checksum). If it is something else and "
        + "holds no data, drop it and let the migration create it.";

    private static string RecordByHand(long migrationId, string daemonVersion) =>
        $"INSERT INTO dbintegrity_version_info (version, applied_on, description) VALUES ({migrationId}, now() AT TIME ZONE 'utc', "
        + $"'daemon {daemonVersion}: created by the daemon itself [recorded by hand]');";
}
