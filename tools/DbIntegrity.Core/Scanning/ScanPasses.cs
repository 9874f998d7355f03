using DbIntegrity.Core.Rules;

namespace DbIntegrity.Core.Scanning;

/// <summary>
/// Runs the applicable rules: the database rules (one query each) and the identifier pass (the merge of listings and
/// tables). Given a second session on the same snapshot, the database rules run on it beside the identifier pass, so
/// PostgreSQL works on their queries while this process parses declarations (two cores instead of one, in turn); given
/// a third, the pass reads plugin_declarations on it, so their pages are fetched without waiting for the other
/// cursors' turns.
/// </summary>
internal static class ScanPasses
{
    /// <summary>Whether these rules need the identifier pass (the merge of listings and tables), not only database rules.</summary>
    public static bool PassRuns(IReadOnlyList<IIntegrityRule> rules) => rules.Any(r => r is IIdentifierRule or IInstallationRule or IAssetRule or IPackageRule);

    /// <summary>
    /// Runs <paramref name="rules"/>: the database rules on <paramref name="side"/> when given, the identifier pass on
    /// <paramref name="session"/>, reading plugin_declarations on <paramref name="declarations"/> when given (a
    /// connection on the same snapshot holding that table's lock from its start; its transaction ends with the pass).
    /// </summary>
    public static async Task RunAsync(ScanSession session, ScanSession? side, ScanSession? declarations, IReadOnlyList<IIntegrityRule> rules, CancellationToken cancellationToken)
    {
        // A database rule that shares tables with the pass reads only the others, and is handed the pass's identifiers
        // (IPassSharedRule); with no pass to run, it reads every table itself.
        var passRuns = PassRuns(rules);
        var readsInstallations = ReadsInstallations(rules);
        foreach (var shared in rules.OfType<IPassSharedRule>())
        {
            shared.PassRuns = passRuns;
            shared.PassReadsInstallations = readsInstallations;
        }

        // The rules the installations' digest can clear wait for the pass, and run only if it leaves room for a finding.
        var seen = passRuns && readsInstallations ? new DigestObservations() : null;
        var deferred = seen is null ? [] : rules.OfType<IDigestClearedRule>().ToList();
        // Whether the digest's installation counts are exact is known from the table's count, asked beside the pass, on
        // the rules' connection once they are done (when there is one), and only when a rule waits on it.
        var askShared = AsksSharedCategoryRows(rules);
        await BothAsync(session, side, declarations, rules, deferred, seen, askShared, cancellationToken);
        if (askShared && side is null)
        {
            seen!.ObserveInstallationCount(await CountAsync(session, InstallationDigest.InstallationCountSql, cancellationToken));
        }

        // What a rule's query left to the installations' digest and the digest did not vouch for, then the follow-ups
        // that need the pass's identifiers, then the rules the digest did not clear: on the scan's own connection and
        // snapshot.
        if (seen is not null)
        {
            foreach (var rule in rules.OfType<IPassSharedRule>())
            {
                if (rule.AfterPassSql(session.Schema, seen) is { } afterPass)
                {
                    var context = session.ContextFor(rule);
                    await ReadAllAsync(session, afterPass, row => rule.Evaluate(row, context), [], cancellationToken);
                }
            }
        }

        foreach (var rule in rules.OfType<IPassSharedRule>().Where(r => r.FollowUpAfterPass))
        {
            await FollowUpAsync(session, rule, cancellationToken);
        }

        foreach (var rule in deferred)
        {
            if (rule.MayFind(seen!) || (rule.UnseenSql(session.Schema) is { } unseen && await AnyAsync(session, unseen, cancellationToken)))
            {
                await DatabaseRuleAsync(session, rule, cancellationToken);
            }
        }
    }

    private static async Task BothAsync(
        ScanSession session, ScanSession? side, ScanSession? declarations, IReadOnlyList<IIntegrityRule> rules, List<IDigestClearedRule> deferred, DigestObservations? seen,
        bool askShared, CancellationToken cancellationToken)
    {
        var databaseRules = rules.OfType<IDatabaseRule>().Where(r => !deferred.Contains(r)).ToList();
        if (side is null)
        {
            await DatabaseRulesAsync(session, databaseRules, cancellationToken);
            await IdentifierPassAsync(session, declarations, rules, seen, cancellationToken);
            return;
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var pending = new List<Task> { SideAsync(side, databaseRules, askShared ? seen : null, stop.Token), IdentifierPassAsync(session, declarations, rules, seen, stop.Token) };
        Exception? first = null;
        while (pending.Count > 0)
        {
            var done = await Task.WhenAny(pending);
            pending.Remove(done);
            if (!done.IsCompletedSuccessfully && first is null)
            {
                // The first to fail is the story; stop the other now rather than when it is done (its cancellation is not news).
                first = FailureOf(done);
                await stop.CancelAsync();
            }
        }

        if (first is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(first);
        }
    }

    // The rules, then the installations' count (when asked), then the end of the side's transaction: its locks go as
    // soon as it needs them no more (IntegrityScanner.OpenSideAsync). The count comes last: the pass needs it only once
    // it is over.
    private static async Task SideAsync(ScanSession side, List<IDatabaseRule> rules, DigestObservations? askShared, CancellationToken cancellationToken)
    {
        await DatabaseRulesAsync(side, rules, cancellationToken);
        if (askShared is not null)
        {
            askShared.ObserveInstallationCount(await CountAsync(side, InstallationDigest.InstallationCountSql, cancellationToken));
        }

        await side.Transaction.RollbackAsync(cancellationToken);
    }

    /// <summary>
    /// Whether the scan asks for the installations' count, which tells whether category rows are shared
    /// (<see cref="InstallationDigest.InstallationCountSql"/>): when the digest is read and a rule it can clear waits on
    /// it. On the database rules' connection when there is one, so that connection locks <c>plugin_installations</c> too
    /// (<see cref="IntegrityScanner.SideTables"/>).
    /// </summary>
    internal static bool AsksSharedCategoryRows(IReadOnlyList<IIntegrityRule> rules) =>
        PassRuns(rules) && ReadsInstallations(rules) && rules.OfType<IDigestClearedRule>().Any();

    // Whether the identifier pass reads the installations' digest: when an installation rule runs.
    internal static bool ReadsInstallations(IReadOnlyList<IIntegrityRule> rules) => rules.Any(r => r is IInstallationRule);

    private static Exception FailureOf(Task task)
    {
        try
        {
            task.GetAwaiter().GetResult();
            return new InvalidOperationException("A scan pass reported a failure but none was found.");
        }
        catch (Exception ex)
        {
            return ex;
        }
    }

    private static async Task DatabaseRulesAsync(ScanSession session, List<IDatabaseRule> rules, CancellationToken cancellationToken)
    {
        foreach (var rule in rules)
        {
            await DatabaseRuleAsync(session, rule, cancellationToken);
        }
    }

    private static async Task DatabaseRuleAsync(ScanSession session, IDatabaseRule rule, CancellationToken cancellationToken)
    {
        session.Progress?.Report(new ScanProgress($"checking the tables: {rule.Descriptor.Id}", 0));
        var context = session.ContextFor(rule);
        await ReadAllAsync(session, rule.BuildSql(session.Schema), row => rule.Evaluate(row, context), [], cancellationToken);
        if (rule is not IPassSharedRule { FollowUpAfterPass: true })
        {
            await FollowUpAsync(session, rule, cancellationToken);
        }
    }

    // A query of one number, or NULL.
    private static async Task<long?> CountAsync(ScanSession session, string sql, CancellationToken cancellationToken)
    {
        long? count = null;
        await ReadAllAsync(session, sql, row => count = row.IsDBNull(0) ? null : row.GetInt64(0), [], cancellationToken);
        return count;
    }

    // A query of one boolean.
    private static async Task<bool> AnyAsync(ScanSession session, string sql, CancellationToken cancellationToken)
    {
        var any = false;
        await ReadAllAsync(session, sql, row => any |= row.GetBoolean(0), [], cancellationToken);
        return any;
    }

    private static async Task FollowUpAsync(ScanSession session, IDatabaseRule rule, CancellationToken cancellationToken)
    {
        if (rule.BuildFollowUp(session.Schema) is { } followUp)
        {
            var context = session.ContextFor(rule);
            await ReadAllAsync(session, followUp.Sql, row => rule.EvaluateFollowUp(row, context), followUp.Parameters, cancellationToken);
        }
    }

    // Streams a rule's query through a cursor, each row to the rule.
    private static async Task ReadAllAsync(
        ScanSession session, string sql, Action<System.Data.Common.DbDataReader> evaluate, IReadOnlyList<Npgsql.NpgsqlParameter> parameters, CancellationToken cancellationToken)
    {
        var cursor = session.Cursor(sql, row =>
        {
            evaluate(row);
            return true;
        }, parameters);
        await foreach (var _ in cursor.ReadAsync(cancellationToken))
        {
        }
    }

    private static async Task IdentifierPassAsync(
        ScanSession session, ScanSession? declarations, IReadOnlyList<IIntegrityRule> rules, DigestObservations? seen, CancellationToken cancellationToken)
    {
        var identifierRules = rules.OfType<IIdentifierRule>().Select(r => (Rule: r, Context: session.ContextFor(r))).ToList();
        var installationRules = rules.OfType<IInstallationRule>().Select(r => (Rule: r, Context: session.ContextFor(r))).ToList();
        var assetRules = rules.OfType<IAssetRule>().Select(r => (Rule: r, Context: session.ContextFor(r))).ToList();
        var packageRules = rules.OfType<IPackageRule>().ToList();
        if (identifierRules.Count == 0 && installationRules.Count == 0 && assetRules.Count == 0 && packageRules.Count == 0)
        {
            return;
        }

        var sharedRules = rules.OfType<IPassSharedRule>().Select(r => (Rule: r, Context: session.ContextFor(r))).ToList();

        await using var assets = new AssetPass();
        await using var deep = packageRules.Count > 0 ? new DeepInspector(session, packageRules, cancellationToken) : null;
        await IdentifierPass.RunAsync(
            session,
            declarations,
            async group =>
            {
                foreach (var (rule, context) in sharedRules)
                {
                    rule.Observe(group, context);
                }

                // An identifier only installations name was never a group before installations joined the walk: the
                // identifier rules, assets and packages keep seeing exactly the groups they saw.
                if (!group.HasObjectOrRow)
                {
                    return;
                }

                foreach (var (rule, context) in identifierRules)
                {
                    rule.Evaluate(group, context);
                }

                if (assetRules.Count > 0)
                {
                    await assets.CollectAsync(group, cancellationToken);
                }

                if (deep is not null)
                {
                    await deep.EnqueueAsync(group);
                }
            },
            // The installations' digest is read exactly when the shared rules were told so (RunAsync): identifier-invalid
            // leaves plugin_installations out of its query on that word alone.
            !ReadsInstallations(rules) ? null : new InstallationHandlers(
                (group, digest) => installationRules.TrueForAll(r => r.Rule.IsSettled(group, digest, r.Context)),
                (group, installation) =>
                {
                    foreach (var (rule, context) in installationRules)
                    {
                        rule.Evaluate(group, installation, context);
                    }
                },
                seen),
            cancellationToken);

        // Every declaration is read: the declarations' connection lets go of plugin_declarations before the follow-ups.
        if (declarations is not null)
        {
            await declarations.Transaction.RollbackAsync(cancellationToken);
        }

        if (deep is not null)
        {
            await deep.CompleteAsync();
        }

        if (assetRules.Count > 0)
        {
            await assets.RunAsync(
                session,
                group =>
                {
                    foreach (var (rule, context) in assetRules)
                    {
                        rule.Evaluate(group, context);
                    }

                    return Task.CompletedTask;
                },
                cancellationToken);
        }
    }
}
