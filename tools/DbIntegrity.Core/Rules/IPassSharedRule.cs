namespace DbIntegrity.Core.Rules;

/// <summary>
/// A database rule that shares tables with the identifier pass. The pass reads every <c>plugins</c> and
/// <c>plugin_declarations</c> row with a non-NULL identifier in full, and the identifier of every
/// <c>plugin_installations</c> row when it reads the installations' digest. Reading those tables again in the rule's own
/// query cost PostgreSQL as much CPU as the rest of the query (docs/benchmarks.md), so when the pass runs, the query
/// leaves out what the pass reads and the pass hands the rule each identifier it read instead.
/// </summary>
internal interface IPassSharedRule : IDatabaseRule
{
    /// <summary>
    /// What the identifier pass reads in this scan, set before <see cref="IDatabaseRule.BuildSql"/>; null (the default)
    /// when no pass runs (only database rules were asked for): then the rule's query reads every table itself.
    /// </summary>
    PassReads? Pass { get; set; }

    /// <summary>
    /// True when <see cref="IDatabaseRule.BuildFollowUp"/> needs what the pass handed over: the scan then runs the
    /// follow-up after the pass, in the same snapshot, instead of right after the rule's query.
    /// </summary>
    bool FollowUpAfterPass => false;

    /// <summary>
    /// One identifier of the pass that a table holds: its rows in <c>plugins</c> and <c>plugin_declarations</c>, and
    /// whether <c>plugin_installations</c> holds it (<paramref name="installations"/>; only when
    /// <see cref="PassReads.Installations"/>). Called on the pass's thread, in identifier order, while the rule's query may
    /// run on another connection: what it keeps must be apart from what <see cref="IDatabaseRule.Evaluate"/> keeps.
    /// </summary>
    void Observe(IdentifierGroup group, bool installations, RuleContext context);
}

/// <summary>What the identifier pass reads whole in a scan: <c>plugins</c> and <c>plugin_declarations</c> always, the installations' identifiers when <paramref name="Installations"/>.</summary>
internal sealed record PassReads(bool Installations)
{
    /// <summary>The tables whose every row with a non-NULL identifier the pass hands over in full.</summary>
    public static IReadOnlyList<string> RowTables { get; } = ["plugins", "plugin_declarations"];
}
