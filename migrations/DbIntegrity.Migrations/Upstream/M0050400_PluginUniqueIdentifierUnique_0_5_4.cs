using DbIntegrity.Migrations.Preconditions;
using FluentMigrator;

namespace DbIntegrity.Migrations.Upstream;

/// <summary>
/// Daemon 0.5.4 (docs/daemon/database.md#schema-history, f272e6c3): <c>plugins.plugin_unique_identifier</c> gets the UNIQUE index
/// <c>idx_plugin_unique_identifier</c>. AutoMigrate never drops indexes (docs/daemon/database.md#migrations), so an upgraded daemon database keeps
/// the old plain <c>idx_plugins_plugin_unique_identifier</c> beside it, and so does this chain: it mirrors the upgrade
/// path, and a database a newer daemon made itself (without the old index) is accepted by the baseline instead.
/// Like the daemon (dify#38276), it fails on duplicate identifiers; those must be merged first.
/// </summary>
[Migration(50400, "daemon 0.5.4: unique index idx_plugin_unique_identifier on plugins (the old plain index stays). Bucket: untouched.")]
[DaemonVersion("0.5.4")]
public sealed class M0050400_PluginUniqueIdentifierUnique_0_5_4 : Migration, IHasPreconditions
{
    public IReadOnlyList<MigrationPrecondition> Preconditions { get; } =
    [
        new()
        {
            // docs/daemon/issues.md#issues dify#38276: duplicate plugins rows from before 0.5.4 make the daemon's own migration fail with 23505.
            // NULL identifiers are distinct for a unique index, so only non-NULL ones can collide.
            Id = "plugins-identifier-unique",
            Description = "No two plugins rows share a plugin_unique_identifier (the 0.5.4 UNIQUE index idx_plugin_unique_identifier rejects them).",
            OffendingRowsSql = """
                SELECT plugin_unique_identifier, count(*) AS rows,
                       string_agg(id::text || ' refers=' || coalesce(refers, 0)::text, ', ' ORDER BY created_at NULLS LAST, id) AS ids
                FROM plugins
                WHERE plugin_unique_identifier IS NOT NULL
                GROUP BY plugin_unique_identifier
                HAVING count(*) > 1
                ORDER BY plugin_unique_identifier
                """,
            Remedy = "Merge the rows of each identifier into one: dbintegrity repair merges duplicate-plugin-row findings; by hand, keep the "
                + "oldest row and set its refers to the number of plugin_installations rows with that identifier (docs/daemon/database.md#invariants item 2), "
                + "as the SQL below does.",
            RepairSql = """
                DELETE FROM plugins p
                USING (SELECT id, row_number() OVER (PARTITION BY plugin_unique_identifier ORDER BY created_at NULLS LAST, id) AS n
                       FROM plugins WHERE plugin_unique_identifier IS NOT NULL) ranked
                WHERE p.id = ranked.id AND ranked.n > 1;
                UPDATE plugins p SET refers = (SELECT count(*) FROM plugin_installations i WHERE i.plugin_unique_identifier = p.plugin_unique_identifier)
                WHERE p.plugin_unique_identifier IS NOT NULL;
                """,
        },
        CreatedAhead.Index("idx_plugin_unique_identifier", 50400, "0.5.4"),
    ];

    public override void Up() =>
        Create.Index("idx_plugin_unique_identifier").OnTable("plugins")
            .OnColumn("plugin_unique_identifier").Ascending()
            .WithOptions().Unique();

    public override void Down() =>
        Delete.Index("idx_plugin_unique_identifier").OnTable("plugins");
}
