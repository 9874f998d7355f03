namespace DbIntegrity.Core.Rules;

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
