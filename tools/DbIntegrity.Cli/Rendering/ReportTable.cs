using DbIntegrity.Core.Configuration;
using DbIntegrity.Core.Reporting;
using Spectre.Console;

namespace DbIntegrity.Cli.Rendering;

/// <summary>The human-readable report: findings grouped by severity, then a summary.</summary>
internal static class ReportTable
{
    public static void Render(IAnsiConsole console, ScanReport report)
    {
        // One block per rule, one entry per finding: long keys and messages stay readable (and copyable) at any width.
        foreach (var group in report.Findings.GroupBy(f => f.Rule))
        {
            var first = group.First();
            var count = report.CountsByRule.GetValueOrDefault(group.Key, group.Count());
            console.MarkupLine($"{SeverityMarkup(first.Severity)}  [bold]{Markup.Escape(group.Key)}[/] ({count})");
            foreach (var finding in group)
            {
                console.MarkupLine($"  [blue]{Markup.Escape(MarkdownReportWriter.Where(finding))}[/]");
                console.Write(new Padder(new Text(finding.Message), new Padding(4, 0, 0, 0)));
            }

            console.WriteLine();
        }

        console.Write(Summary(report));
    }

    public static Markup Summary(ScanReport report)
    {
        var counts = report.CountsBySeverity;
        var status = report.Status switch
        {
            ScanStatus.Consistent => "[green]consistent[/]",
            ScanStatus.Inconsistent => "[red]inconsistent[/]",
            _ => "[yellow]incomplete[/]",
        };
        var lines = new List<string>
        {
            $"{status}: {counts.GetValueOrDefault(Severity.Error)} error(s), {counts.GetValueOrDefault(Severity.Warning)} warning(s), "
            + $"{counts.GetValueOrDefault(Severity.Info)} info, {report.RulesRun.Count} rule(s) run in {report.Duration.TotalSeconds:0.0} s "
            + $"on {Markup.Escape(report.Database)} and {Markup.Escape(report.Storage)}.",
        };
        if (report.IncompleteReason is not null)
        {
            lines.Add($"[yellow]The scan did not finish, so nothing is concluded:[/] {Markup.Escape(report.IncompleteReason)}");
        }

        if (report.InFlight > 0 || report.Unconfirmed > 0)
        {
            lines.Add($"[grey]{report.InFlight} candidate(s) younger than the grace period ({Durations.Format(report.Grace)}) and {report.Unconfirmed} not confirmed on recheck were left out.[/]");
        }

        if (report.NotListed > 0)
        {
            lines.Add($"[grey]{report.NotListed} more info finding(s) counted, not listed.[/]");
        }

        if (report.RulesSkipped.Count > 0)
        {
            lines.Add("[grey]Skipped: " + Markup.Escape(string.Join("; ", report.RulesSkipped.Select(s => $"{s.Rule}: {s.Reason}"))) + "[/]");
        }

        return new Markup(string.Join('\n', lines) + '\n');
    }

    private static string SeverityMarkup(Severity severity) => severity switch
    {
        Severity.Error => "[red]error[/]",
        Severity.Warning => "[yellow]warning[/]",
        _ => "[grey]info[/]",
    };
}
