using DbIntegrity.Core.Database;

namespace DbIntegrity.Core.Rules;

/// <summary>
/// A database rule that shares tables with the identifier pass. The pass reads every <c>plugins</c> and
/// <c>plugin_declarations</c> row with a non-NULL identifier in full (<see cref="PassTables"/>). Reading those tables
/// again in the rule's own query cost PostgreSQL as much CPU as the rest of the query (docs/benchmarks.md), so when the
/// pass runs, the query leaves them out and the pass hands the rule each group it built instead.
/// </summary>
internal interface IPassSharedRule : IDatabaseRule
{
    /// <summary>The tables whose every row with a non-NULL identifier the pass hands over.</summary>
    static IReadOnlyList<string> PassTables { get; } = ["plugins", "plugin_declarations"];

    /// <summary>
    /// Whether the identifier pass runs in this scan, set before <see cref="IDatabaseRule.BuildSql"/>; false (the
    /// default) when only database rules were asked for: then the rule's query reads every table itself.
    /// </summary>
    bool PassRuns { get; set; }

    /// <summary>
    /// Whether the pass reads the installations' digest (an installation rule runs), set with <see cref="PassRuns"/>:
    /// then every identifier <c>plugin_installations</c> holds, byte for byte, is a group (<see cref="IdentifierGroup.Installed"/>).
    /// </summary>
    bool PassReadsInstallations { get; set; }

    /// <summary>
    /// True when <see cref="IDatabaseRule.BuildFollowUp"/> needs what the pass handed over: the scan then runs the
    /// follow-up after the pass, in the same snapshot, instead of right after the rule's query.
    /// </summary>
    bool FollowUpAfterPass => false;

    /// <summary>
    /// When the pass reads the installations' digest, what the rule's query left to it that the digest did not vouch for
    /// (<paramref name="seen"/>): a query run after the pass, on the scan's connection and snapshot, before any
    /// follow-up, each row to <see cref="IDatabaseRule.Evaluate"/>; null (the default) when nothing is left.
    /// </summary>
    string? AfterPassSql(DatabaseSchema schema, DigestObservations seen) => null;

    /// <summary>
    /// One group of the pass (its <c>plugins</c> and <c>plugin_declarations</c> rows, whether installations hold it,
    /// and the key parsed), every one, an identifier only installations hold included. Called on
    /// the pass's thread, in identifier order, while the rule's query may run on another connection: what it keeps must
    /// be apart from what <see cref="IDatabaseRule.Evaluate"/> keeps.
    /// </summary>
    void Observe(IdentifierGroup group, RuleContext context);
}
