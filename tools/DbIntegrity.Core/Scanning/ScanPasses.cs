using DbIntegrity.Core.Rules;

namespace DbIntegrity.Core.Scanning;

/// <summary>Runs the applicable rules pass by pass within one session.</summary>
internal static class ScanPasses
{
    public static async Task RunAsync(ScanSession session, IReadOnlyList<IIntegrityRule> rules, CancellationToken cancellationToken)
    {
        foreach (var rule in rules.OfType<IDatabaseRule>())
        {
            session.Progress?.Report(new ScanProgress($"rule {rule.Descriptor.Id}", 0));
            var context = session.ContextFor(rule);
            var cursor = session.Cursor(rule.BuildSql(session.Schema), row =>
            {
                rule.Evaluate(row, context);
                return true;
            });
            await foreach (var _ in cursor.ReadAsync(cancellationToken))
            {
            }
        }

        var identifierRules = rules.OfType<IIdentifierRule>().Select(r => (Rule: r, Context: session.ContextFor(r))).ToList();
        if (identifierRules.Count == 0)
        {
            return;
        }

        await IdentifierPass.RunAsync(
            session,
            group =>
            {
                foreach (var (rule, context) in identifierRules)
                {
                    rule.Evaluate(group, context);
                }

                return Task.CompletedTask;
            },
            cancellationToken);
    }
}
