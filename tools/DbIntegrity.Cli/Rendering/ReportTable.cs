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
                var accepted = report.IsAccepted(finding) ? " [grey](accepted by the baseline)[/]" : string.Empty;
                console.MarkupLine($"  [blue]{Markup.Escape(MarkdownReportWriter.Where(finding))}[/]{accepted}");
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
            ScanStatus.Inconsistent when report.BlockingErrors == 0 => "[yellow]inconsistent, every error accepted by the baseline[/]",
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

        if (report.Baseline is { } baseline)
        {
            lines.Add(Markup.Escape($"Baseline {baseline.File}: {baseline.Accepted.Count} finding(s) accepted, {report.BlockingErrors} new error(s), {baseline.Fixed.Count} fixed since it was written")
                + (baseline.NotChecked.Count > 0 ? Markup.Escape($", {baseline.NotChecked.Count} not checked this time") : string.Empty) + ".");
            foreach (var entry in baseline.Fixed)
            {
                lines.Add($"  [green]fixed[/] {Markup.Escape(entry.Rule)}: {Markup.Escape(entry.Message)}");
            }
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
