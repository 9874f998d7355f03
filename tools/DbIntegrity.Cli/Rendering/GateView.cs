using System.Globalization;
using DbIntegrity.Core.Gate;
using DbIntegrity.Core.Migrating;
using Spectre.Console;

namespace DbIntegrity.Cli.Rendering;

/// <summary>
/// The human-readable gate report: the check's findings first, then preconditions, applied-migration checks, the run
/// and the verdict last, where a CI log's tail shows it.
/// </summary>
internal static class GateView
{
    public static void Render(IAnsiConsole console, GateReport report, bool verbose = false)
    {
        if (report.Check is { } check)
        {
            console.MarkupLine("[bold]Integrity check[/]");
            ReportTable.Render(console, check, verbose);
        }
        else if (report.CheckSkipped is not null)
        {
            console.MarkupLineInterpolated($"[grey]Integrity check skipped: {report.CheckSkipped}[/]");
        }

        console.WriteLine();
        RenderPreconditions(console, report.Preconditions, "Preconditions");
        RenderMigrationChecks(console, report.MigrationChecks);
        if (report.Run is { } run)
        {
            RenderRun(console, run);
        }

        RenderVerdict(console, report);
    }

    private static void RenderPreconditions(IAnsiConsole console, IReadOnlyList<PreconditionResult> preconditions, string title)
    {
        var due = preconditions.Where(p => p.Status != PreconditionStatus.NotDue).ToList();
        console.MarkupLineInterpolated($"[bold]{title}[/] ({due.Count} due, {preconditions.Count - due.Count} not due)");
        foreach (var p in due)
        {
            var status = p.Status switch
            {
                PreconditionStatus.Holds => "[green]holds[/]",
                PreconditionStatus.Violated => $"[red]violated by {p.OffendingCount} row(s)[/]",
                PreconditionStatus.NotApplicable => "[grey]not applicable[/]",
                _ => "[yellow]not evaluated[/]",
            };
            console.MarkupLine($"  {p.Migration.Id.ToString(CultureInfo.InvariantCulture)} [bold]{Markup.Escape(p.Precondition.Id)}[/]: {status}");
            if (p.Status == PreconditionStatus.Violated)
            {
                for (var i = 0; i < p.Rows.Count; i++)
                {
                    console.MarkupLineInterpolated($"    [blue]{p.DescribeRow(i)}[/]");
                }

                if (p.OffendingCount > p.Rows.Count)
                {
                    console.MarkupLineInterpolated($"    … and {p.OffendingCount - p.Rows.Count} more");
                }

                Lines.Indented(console, p.Precondition.Remedy);
                if (p.Precondition.RepairSql is { } sql)
                {
                    Lines.Indented(console, sql.TrimEnd(), "grey");
                }
            }
            else if (p.Note is not null)
            {
                console.MarkupLineInterpolated($"    [grey]{p.Note}[/]");
            }
        }

        console.WriteLine();
    }

    private static void RenderMigrationChecks(IAnsiConsole console, IReadOnlyList<MigrationCheck> checks)
    {
        var passed = checks.Count(c => c.Status == MigrationCheckStatus.Passed);
        var skipped = checks.Count(c => c.Status == MigrationCheckStatus.Skipped);
        var failed = checks.Where(c => c.Status == MigrationCheckStatus.Failed).ToList();
        console.MarkupLineInterpolated($"[bold]Applied migrations[/]: {passed} check(s) passed, {failed.Count} failed, {skipped} skipped (nothing to compare)");
        foreach (var check in failed)
        {
            console.MarkupLineInterpolated($"  [red]{check.Name}[/]");
            Lines.Indented(console, check.Message);
        }

        console.WriteLine();
    }

    private static void RenderRun(IAnsiConsole console, GatedMigration run)
    {
        var ids = string.Join(", ", run.Executed.Select(m => m.Id.ToString(CultureInfo.InvariantCulture)));
        console.MarkupLine(run.Committed
            ? $"[bold]Migration run[/]: [green]committed[/] {Markup.Escape(ids)}"
            : $"[bold]Migration run[/]: [red]rolled back[/]{(ids.Length > 0 ? " " + Markup.Escape(ids) : string.Empty)}; the database is as it was");
        var violated = run.Preconditions.Where(p => p.Status is PreconditionStatus.Violated or PreconditionStatus.NotEvaluated).ToList();
        if (violated.Count > 0)
        {
            RenderPreconditions(console, violated, "Inside the run");
        }

        if (run.After is { } after)
        {
            console.MarkupLineInterpolated($"  check inside the transaction: {after.Status.ToString().ToLowerInvariant()}, {run.NewErrors.Count} new error(s)");
        }

        foreach (var finding in run.Difference?.New ?? [])
        {
            console.MarkupLineInterpolated($"  [red]new[/] {finding.Severity.ToString().ToLowerInvariant()} [bold]{finding.Rule}[/] {MarkdownWhere(finding)}");
            Lines.Indented(console, finding.Message);
        }

        foreach (var finding in run.Difference?.Resolved ?? [])
        {
            console.MarkupLineInterpolated($"  [green]resolved[/] {finding.Severity.ToString().ToLowerInvariant()} [bold]{finding.Rule}[/] {MarkdownWhere(finding)}");
        }

        console.WriteLine();
    }

    private static void RenderVerdict(IAnsiConsole console, GateReport report)
    {
        var at = report.Current is { } c ? $"migration {c.Id} ({c.Origin})"
            : report.AssumedVersion is { } v ? $"no migration recorded (looks like daemon {v})"
            : "no migration";
        var pending = report.Pending.Count == 0 ? "nothing to migrate"
            : $"{(report.Direction == MigrationDirection.Up ? "pending" : "to revert")}: {string.Join(", ", report.Pending.Select(m => m.Id.ToString(CultureInfo.InvariantCulture)))}";
        console.MarkupLineInterpolated($"{report.Database} at {at}, target {report.TargetDescription}; {pending}.");
        foreach (var blocker in report.Blockers)
        {
            console.MarkupLine("[red]blocks:[/] " + Markup.Escape(blocker));
        }

        if (report.IncompleteReason is not null)
        {
            console.MarkupLine("[yellow]incomplete:[/] " + Markup.Escape(report.IncompleteReason));
        }

        var record = report.RecordedRunId is { } id ? $"recorded as run {id} in dbintegrity_check_runs" : report.RecordNote ?? "not recorded";
        console.MarkupLineInterpolated($"[grey]{record}[/]");
        var verdict = report.Verdict switch
        {
            GateVerdict.Pass when report.Run is { Committed: true } => "[green]PASS[/]: migrated and committed.",
            GateVerdict.Pass => "[green]PASS[/]: nothing blocks.",
            GateVerdict.Block => "[red]BLOCKED[/]: fix what blocks, or accept known findings with --baseline.",
            // The reason first: "0 error(s)" of a scan that never ran says nothing.
            _ => "[yellow]INCOMPLETE[/]: " + Markup.Escape((report.IncompleteReason ?? "the gate did not finish").TrimEnd('.')) + ". Nothing was concluded; fix that and run the gate again.",
        };
        console.MarkupLine($"{Markup.Escape(report.Command)}: {verdict}");
    }

    private static string MarkdownWhere(Core.Rules.Finding finding) => Core.Reporting.MarkdownReportWriter.Where(finding);
}
