using System.Data.Common;
using DbIntegrity.Core.Database;

namespace DbIntegrity.Core.Rules;

/// <summary>
/// What the identifier pass reads of <c>plugin_installations</c> first: per identifier, and apart for remote
/// (debugging) installations, how many rows the installations and their category rows join to, and how many of those
/// are a row of each category table holding the installation's own identifier. An installation rule that can tell from
/// this that no installation of the identifier is its finding (<see cref="IInstallationRule.IsSettled"/>) lets the pass
/// skip reading them one by one; the others are read in full, a batch of identifiers at a time
/// (<see cref="InstallationRow.Sql(DatabaseSchema, bool)"/>).
/// <para>
/// Rows are counted after the join, not installations: an installation with two category rows counts twice, and one
/// with none once (its NULL row). So <c>Rows == Exact(t)</c> says that every joined row is an exact row of table t, and
/// with it that every installation has one: a conservative test that a duplicate or a row in another table only makes
/// fail, sending those installations to the full read, never the other way.
/// </para>
/// </summary>
internal sealed record InstallationDigest(string? Identifier, bool Remote, long Rows, long[] ExactRows)
{
    /// <summary>
    /// The installations counted: the joined rows that have an installation. Exact when no installation's tenant and
    /// plugin has more than one category row: each installation then joins to one row or to none (its NULL row).
    /// Otherwise an installation with k category rows counts k times, and nothing that relies on this count is vouched
    /// for. Which of the two holds is known once the pass is over: these counts summed over every digest row equal the
    /// table's installations (<see cref="InstallationCountSql"/>) exactly when no installation joins two rows
    /// (<see cref="DigestObservations"/>).
    /// </summary>
    public long Installations => Rows - Unmatched;

    /// <summary>
    /// Category rows that join to no installation (no installation of their tenant and plugin, or a NULL tenant or
    /// plugin): only in a row without an identifier. Those come last (<see cref="Identifier"/> NULL), up to three: the
    /// category rows no installation claims (no remote flag either, read as local), and the installations whose
    /// identifier is NULL, local and remote, with their category rows.
    /// </summary>
    public long Unmatched { get; init; }

    /// <summary>
    /// The category rows counted (joined to an installation of the group, or, in a row without an identifier, to none
    /// or to one whose identifier is NULL). When each of them is an exact row (<see cref="ExactRows"/>), every category
    /// row of the group holds its installation's identifier, byte for byte.
    /// </summary>
    public long CategoryRows { get; init; }

    /// <summary>
    /// Whether a category row counted here may hold an identifier other than its installation's, or NULL (counted as ''
    /// by the join, so an empty identifier is not vouched for either), or has no installation.
    /// </summary>
    public bool HasOtherCategoryIdentifiers => string.IsNullOrEmpty(Identifier) ? CategoryRows > 0 : CategoryRows != ExactRows.Sum();

    /// <summary>The joined rows that are a row of <paramref name="table"/> holding the installation's identifier.</summary>
    public long Exact(string table) => Array.IndexOf(InstallationRow.CategoryTables, table) is var n and >= 0 ? ExactRows[n] : 0;

    /// <summary>
    /// One row per identifier and remote flag, in UTF-8 byte order of the identifier (COLLATE "C", the pass's order),
    /// local before remote, then the rows without an identifier. Identifiers are grouped byte for byte too: a
    /// case-insensitive column collation would fold two spellings into one row, and the installations of the spelling
    /// not named would never be read. The category tables are joined on tenant and plugin only (a hash join on two short
    /// keys) and the identifier compared in the count, which cost 0.86 s of server time at 10^5 identifiers (290,000
    /// installations) where reading every installation with its category rows in the pass's order cost 1.3 s, and
    /// sends 100,000 narrow rows instead of 290,000. The category rows and what counts as holding the installation's
    /// identifier are those of the full read (<see cref="InstallationRow.CategoryRowsSql"/>,
    /// <see cref="InstallationRow.SameIdentifier"/>), so a digest and the rows it stands for cannot disagree.
    /// <para>
    /// The join is a full one, so the category rows no installation claims are counted too (<see cref="Unmatched"/>),
    /// and the joined rows that have an installation are its installations when no installation's tenant and plugin has
    /// two category rows (<see cref="Installations"/>, <see cref="InstallationCountSql"/>). With these the pass can tell that
    /// <c>refers-mismatch</c> and <c>category-row-orphan</c> have nothing to find (<see cref="IDigestClearedRule"/>), and
    /// their queries, which read the same tables again, need not run (0.61 s of server time at 10^5 identifiers). The
    /// category rows counted (<see cref="CategoryRows"/>) against the exact ones tell whether every category row holds its
    /// installation's identifier, which the pass checks: then <c>identifier-invalid</c> need not read the category
    /// tables' values (<see cref="IPassSharedRule.AfterPassSql"/>). Together, a consistent 10^5 scan took 3.3
    /// CPU-seconds of this process and PostgreSQL instead of 4.0. The installations were first counted in the digest
    /// itself (a second aggregate of plugin_installations, merge-joined by identifier): it ran after the join's sort and
    /// before the first row, 0.2 s of the pass's wait for it. Then a query grouped the category rows by tenant and plugin
    /// to ask whether any had two (0.25 s of server time at 10^5); the table's count answers the same, for the
    /// installations only, in a tenth of that (docs/benchmarks.md).
    /// </para>
    /// </summary>
    public static string Sql(DatabaseSchema schema)
    {
        var remote = schema.HasColumn("plugin_installations", "runtime_type") ? "coalesce(runtime_type::text = 'remote', false)" : "false";
        var exact = string.Join(", ", InstallationRow.CategoryTables.Select((_, n) =>
            $"count(*) FILTER (WHERE c.category = {n} AND {InstallationRow.SameIdentifier})"));
        return $"""
            SELECT i.plugin_unique_identifier::text COLLATE "C", i.remote, count(*), count(*) FILTER (WHERE i.present IS NULL), count(c.category), {exact}
            FROM (SELECT tenant_id, plugin_id, plugin_unique_identifier, {remote}, true FROM plugin_installations) i (tenant_id, plugin_id, plugin_unique_identifier, remote, present)
            FULL JOIN ({InstallationRow.CategoryRowsSql(schema)}) c (category, tenant_id, plugin_id, identifier)
                   ON c.tenant_id = i.tenant_id AND c.plugin_id = i.plugin_id
            GROUP BY 1, 2
            ORDER BY 1, 2
            """;
    }

    /// <summary>
    /// A query of one number: the table's installations, or NULL (not known) unless the transaction reads one snapshot
    /// throughout (REPEATABLE READ or SERIALIZABLE). Each installation joins max(1, k) rows in the digest, k its tenant
    /// and plugin's category rows, so the digest's <see cref="Installations"/> summed over every row (those without an
    /// identifier too) equal this count, read in the digest's snapshot, exactly when no installation's tenant and plugin
    /// has more than one category row, and exceed it otherwise (<see cref="DigestObservations"/>). Tenants and plugins
    /// without an installation do not count: their category rows are the digest's <see cref="Unmatched"/> rows. The
    /// comparison rests on the digest's own join, so the two cannot disagree on what matches. Inside a READ COMMITTED
    /// transaction (a migration's, which the gate scans in) each statement reads a snapshot of its own, so installations
    /// committed between the digest and the count could make the sums meet by chance: the count is not given there,
    /// and what depends on it is not vouched for. Its answer is needed only once the pass is over, so it runs beside the
    /// digest, on the database rules' connection when they are done (<see cref="Scanning.ScanPasses"/>).
    /// </summary>
    public const string InstallationCountSql =
        "SELECT CASE WHEN current_setting('transaction_isolation') IN ('repeatable read', 'serializable') THEN count(*) END FROM plugin_installations";

    public static InstallationDigest Read(DbDataReader row)
    {
        var exact = new long[InstallationRow.CategoryTables.Length];
        for (var n = 0; n < exact.Length; n++)
        {
            exact[n] = row.GetInt64(5 + n);
        }

        return new(row.IsDBNull(0) ? null : row.GetString(0), !row.IsDBNull(1) && row.GetBoolean(1), row.GetInt64(2), exact)
        {
            Unmatched = row.GetInt64(3),
            CategoryRows = row.GetInt64(4),
        };
    }
}
