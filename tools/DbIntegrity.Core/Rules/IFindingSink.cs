namespace DbIntegrity.Core.Rules;

/// <summary>
/// Where a <see cref="RuleContext"/> puts what its rule reports; the scanner provides it. Rules never see it, so the
/// rule contract does not depend on how a scan gathers, confirms or spills findings.
/// </summary>
internal interface IFindingSink
{
    /// <summary>
    /// A finding; with <paramref name="rechecks"/>, a candidate that counts only if every recheck still holds. The
    /// draft's message is only lent: what the sink keeps, it copies before returning.
    /// </summary>
    void Add(FindingDraft finding, Recheck[] rechecks);

    /// <summary>A finding withheld because its evidence is younger than the grace period.</summary>
    void CountInFlight();
}
