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
