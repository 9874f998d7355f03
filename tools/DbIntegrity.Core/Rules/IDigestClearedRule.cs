using DbIntegrity.Core.Database;

namespace DbIntegrity.Core.Rules;

/// <summary>
/// A database rule that the installations' digest can clear. When the identifier pass reads the digest (an
/// installation rule runs), it sees enough to tell that the rule's query would return nothing
/// (<see cref="DigestObservations"/>); the query then does not run, and runs after the pass, in the same snapshot, only
/// when the digest leaves room for a finding. Its findings are then exactly those it reports when it runs on its own:
/// the digest only decides whether it runs.
/// </summary>
internal interface IDigestClearedRule : IDatabaseRule
{
    /// <summary>Whether what the pass saw leaves room for a finding of this rule: then its query runs.</summary>
    bool MayFind(DigestObservations seen);

    /// <summary>
    /// A query of one boolean, true when what the pass does not see could still hold a finding: rows it does not read,
    /// or a comparison it does not make as the rule's query does (its query runs then); null (the default) when the pass
    /// sees all that could.
    /// </summary>
    string? UnseenSql(DatabaseSchema schema) => null;
}

/// <summary>
/// What the identifier pass saw in the installations' digest that the rules implementing <see cref="IDigestClearedRule"/>
/// are cleared by. Each flag is conservative: it is set whenever a finding cannot be ruled out, never left clear when
/// one might exist. Written on the pass's thread only, read once the pass is over.
/// </summary>
internal sealed class DigestObservations
{
    /// <summary>A <c>plugins</c> row the pass read has a <c>refers</c> other than its identifier's number of installations.</summary>
    public bool RefersMayDiffer { get; private set; }

    /// <summary>
    /// A category row joins to no installation, or an installation to more than one category row (so a table may hold
    /// more rows for a tenant and plugin than it has installations), or an installation has no identifier (the digest
    /// does not count those apart).
    /// </summary>
    public bool CategoryRowsMayBeLeftOver { get; private set; }

    /// <summary>
    /// A category row may hold an identifier other than its installation's (or NULL), or joins to no installation: then
    /// the pass has not seen every category row's identifier (<see cref="IPassSharedRule.AfterPassSql"/>).
    /// </summary>
    public bool CategoryIdentifiersMayDiffer { get; private set; }

    /// <summary>One group of the pass with its identifier's digests (none when no installation holds it).</summary>
    public void Observe(IdentifierGroup group, List<InstallationDigest> digests)
    {
        long installations = 0;
        foreach (var digest in digests)
        {
            installations += digest.Installations;
            CategoryRowsMayBeLeftOver |= digest.MayShareCategoryRows;
            CategoryIdentifiersMayDiffer |= digest.HasOtherCategoryIdentifiers;
        }

        foreach (var row in group.Plugins)
        {
            RefersMayDiffer |= row.Refers != installations;
        }
    }

    /// <summary>A digest row without an identifier: the category rows no installation claims, and the installations whose identifier is NULL.</summary>
    public void ObserveUnidentified(InstallationDigest digest)
    {
        CategoryRowsMayBeLeftOver |= digest.Unmatched > 0 || digest.MayShareCategoryRows;
        CategoryIdentifiersMayDiffer |= digest.HasOtherCategoryIdentifiers;
    }
}
