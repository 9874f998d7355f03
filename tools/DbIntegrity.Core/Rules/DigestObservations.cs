namespace DbIntegrity.Core.Rules;

/// <summary>
/// What the identifier pass saw in the installations' digest that the rules implementing <see cref="IDigestClearedRule"/>
/// are cleared by. Each flag is conservative: it is set whenever a finding cannot be ruled out, never left clear when
/// one might exist. Written on the pass's thread, but for the answer of one query that may come from another connection's
/// task (<see cref="ObserveInstallationCount"/>); read once both are over.
/// </summary>
internal sealed class DigestObservations
{
    private bool _refersMayDiffer;
    private bool _categoryRowsMayBeLeftOver;

    // The digests' installations summed (InstallationDigest.Installations), and the table's count of them: unknown
    // (null) until the query has answered, and then read as shared rows, so nothing is vouched for that depends on it.
    private long _digestInstallations;
    private long? _installations;

    /// <summary>
    /// A <c>plugins</c> row the pass read has a <c>refers</c> other than its identifier's number of installations, or
    /// that number is not known exactly (<see cref="CategoryRowsShared"/>).
    /// </summary>
    public bool RefersMayDiffer => _refersMayDiffer || CategoryRowsShared;

    /// <summary>
    /// A category row joins to no installation, or an installation's tenant and plugin has more than one category row
    /// (so a table may hold more rows for them than they have installations), or an installation has no identifier (the
    /// digest does not count those apart).
    /// </summary>
    public bool CategoryRowsMayBeLeftOver => _categoryRowsMayBeLeftOver || CategoryRowsShared;

    /// <summary>
    /// Whether an installation's tenant and plugin may have more than one category row: the digests' installations
    /// summed are not the table's count (each installation joins max(1, k) rows: <see cref="InstallationDigest.InstallationCountSql"/>),
    /// or the count is not known.
    /// </summary>
    public bool CategoryRowsShared => _installations != _digestInstallations;

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
            _digestInstallations += digest.Installations;
            CategoryIdentifiersMayDiffer |= digest.HasOtherCategoryIdentifiers;
        }

        foreach (var row in group.Plugins)
        {
            _refersMayDiffer |= row.Refers != installations;
        }
    }

    /// <summary>
    /// The answer of <see cref="InstallationDigest.InstallationCountSql"/>: the table's installations in the scan's
    /// snapshot, or null when it cannot be compared (not one snapshot). Until it is given, when it is null, and when the
    /// digests' installations do not add up to it, the digest's counts are not exact, and neither
    /// <see cref="RefersMayDiffer"/> nor <see cref="CategoryRowsMayBeLeftOver"/> is clear.
    /// </summary>
    public void ObserveInstallationCount(long? installations) => _installations = installations;

    /// <summary>A digest row without an identifier: the category rows no installation claims, and the installations whose identifier is NULL.</summary>
    public void ObserveUnidentified(InstallationDigest digest)
    {
        // Category rows no installation claims, or installations without an identifier (Installations: joined rows with one).
        _categoryRowsMayBeLeftOver |= digest.Unmatched > 0 || digest.Installations > 0;
        _digestInstallations += digest.Installations;
        CategoryIdentifiersMayDiffer |= digest.HasOtherCategoryIdentifiers;
    }
}
