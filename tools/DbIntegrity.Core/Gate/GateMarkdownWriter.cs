using System.Globalization;
using System.Text;
using DbIntegrity.Core.Reporting;

namespace DbIntegrity.Core.Gate;

/// <summary>The gate as Markdown, for pull-request comments and CI job summaries.</summary>
public static class GateMarkdownWriter
{
    public static string Write(GateReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var text = new StringBuilder();
        var verdict = report.Verdict switch
        {
            GateVerdict.Pass => "✅ pass",
            GateVerdict.Block => "❌ blocked",
            _ => "⚠️ incomplete",
        };
        text.Append(CultureInfo.InvariantCulture, $"## DbIntegrity {report.Command}: {verdict}\n\n");
        var current = report.Current is { } c ? $"migration {c.Id} ({c.Origin})" : report.AssumedVersion is { } v ? $"unversioned, looks like daemon {v}" : "no migration";
        text.Append(CultureInfo.InvariantCulture, $"Database `{report.Database}` at {current}; target {report.TargetDescription}; ");
        text.Append(report.Pending.Count == 0
            ? "nothing pending.\n\n"
            : $"{(report.Direction == Migrating.MigrationDirection.Up ? "pending" : "to revert")}: {string.Join(", ", report.Pending.Select(m => $"{m.Id} ({m.Origin})"))}.\n\n");
        if (report.IncompleteReason is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $"**Nothing was concluded:** {Escape(report.IncompleteReason)}\n\n");
        }

        if (report.Blockers.Count > 0)
        {
            text.Append("**Blocked by:**\n\n");
            foreach (var blocker in report.Blockers)
            {
                text.Append(CultureInfo.InvariantCulture, $"- {Escape(blocker)}\n");
            }

            text.Append('\n');
        }

        var due = report.Preconditions.Where(p => p.Status != PreconditionStatus.NotDue).ToList();
        if (due.Count > 0)
        {
            text.Append("| precondition | migration | status | offending rows |\n|---|---|---|---:|\n");
            foreach (var p in due)
            {
                text.Append(CultureInfo.InvariantCulture, $"| `{p.Precondition.Id}` | {p.Migration.Id} | {p.Status} | {(p.Status == PreconditionStatus.Violated ? p.OffendingCount : 0)} |\n");
            }

            text.Append('\n');
        }

        var failed = report.MigrationChecks.Where(m => m.Status == MigrationCheckStatus.Failed).ToList();
        text.Append(CultureInfo.InvariantCulture,
            $"Applied migrations: {report.MigrationChecks.Count(m => m.Status == MigrationCheckStatus.Passed)} check(s) passed, {failed.Count} failed, "
            + $"{report.MigrationChecks.Count(m => m.Status == MigrationCheckStatus.Skipped)} skipped.\n\n");

        if (report.Run is { } run)
        {
            text.Append(CultureInfo.InvariantCulture,
                $"**Migration run:** {(run.Committed ? "committed" : "rolled back")} ({string.Join(", ", run.Executed.Select(m => m.Id))}).\n\n");
            foreach (var f in run.Difference?.New ?? [])
            {
                text.Append(CultureInfo.InvariantCulture, $"- new {f.Severity.ToString().ToLowerInvariant()} `{f.Rule}`: {Escape(f.Message)}\n");
            }

            foreach (var f in run.Difference?.Resolved ?? [])
            {
                text.Append(CultureInfo.InvariantCulture, $"- resolved `{f.Rule}`: {Escape(f.Message)}\n");
            }

            text.Append('\n');
        }

        if (report.Check is { } check)
        {
            text.Append(MarkdownReportWriter.Write(check, "Integrity check").Replace("## ", "### ", StringComparison.Ordinal));
        }
        else if (report.CheckSkipped is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $"Integrity check skipped: {Escape(report.CheckSkipped)}\n");
        }

        return text.ToString();
    }

    private static string Escape(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
