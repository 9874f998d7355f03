namespace DbIntegrity.Core.Rules;

/// <summary>
/// What the identifier pass saw in the installations' digest that the rules implementing <see cref="IDigestClearedRule"/>
/// are cleared by. Each flag is conservative: it is set whenever a finding cannot be ruled out, never left clear when
/// one might exist. Written on the pass's thread, but for the answer of one query that may come from another connection's
/// task (<see cref="ObserveSharedCategoryRows"/>); read once both are over.
/// </summary>
internal sealed class DigestObservations
{
    private bool _refersMayDiffer;
    private bool _categoryRowsMayBeLeftOver;

    // Unknown (null) until the query has answered: read as shared, so nothing is vouched for that depends on it.
    private bool? _categoryRowsShared;

    /// <summary>
    /// A <c>plugins</c> row the pass read has a <c>refers</c> other than its identifier's number of installations, or
    /// that number is not known exactly (<see cref="ObserveSharedCategoryRows"/>).
    /// </summary>
    public bool RefersMayDiffer => _refersMayDiffer || _categoryRowsShared != false;

    /// <summary>
    /// A category row joins to no installation, or a tenant and plugin has more than one category row (so a table may
    /// hold more rows for them than they have installations), or an installation has no identifier (the digest does not
    /// count those apart).
    /// </summary>
    public bool CategoryRowsMayBeLeftOver => _categoryRowsMayBeLeftOver || _categoryRowsShared != false;

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
            CategoryIdentifiersMayDiffer |= digest.HasOtherCategoryIdentifiers;
        }

        foreach (var row in group.Plugins)
        {
            _refersMayDiffer |= row.Refers != installations;
        }
    }

    /// <summary>
    /// The answer of <see cref="InstallationDigest.SharedCategoryRowsSql"/>: whether a tenant and plugin has more than one
    /// category row. Until it is given, and when it is yes, the digest's installation counts are not exact, and neither
    /// <see cref="RefersMayDiffer"/> nor <see cref="CategoryRowsMayBeLeftOver"/> is clear.
    /// </summary>
    public void ObserveSharedCategoryRows(bool shared) => _categoryRowsShared = shared;

    /// <summary>A digest row without an identifier: the category rows no installation claims, and the installations whose identifier is NULL.</summary>
    public void ObserveUnidentified(InstallationDigest digest)
    {
        // Category rows no installation claims, or installations without an identifier (Installations: joined rows with one).
        _categoryRowsMayBeLeftOver |= digest.Unmatched > 0 || digest.Installations > 0;
        CategoryIdentifiersMayDiffer |= digest.HasOtherCategoryIdentifiers;
    }
}
