using System.Globalization;
using DbIntegrity.Core.Configuration;
using DbIntegrity.Core.Reporting;
using DbIntegrity.Core.Rules;
using Spectre.Console;

namespace DbIntegrity.Cli.Rendering;

/// <summary>
/// The human-readable report: the summary first (verdict, counts by rule and severity, what to do next), then each
/// rule's explanation once with its findings one per line. <c>--verbose</c> prints every finding's locator and full
/// message instead. Nothing is padded, so logs and files hold no trailing spaces.
/// </summary>
internal static class ReportTable
{
    public static void Render(IAnsiConsole console, ScanReport report, bool verbose = false)
    {
        Summary(console, report);
        // --verbose lists every finding here; otherwise each rule shows its first ReportSummary.ListedPerRule and says how many more.
        foreach (var listing in ReportSummary.Groups(report, verbose ? int.MaxValue : ReportSummary.ListedPerRule))
        {
            var rule = listing.Rule;
            console.WriteLine();
            console.MarkupLine($"{SeverityMarkup(rule.Severity)} [bold]{Markup.Escape(rule.Rule)}[/] ({rule.Count.ToString(CultureInfo.InvariantCulture)}): "
                + Markup.Escape(ReportSummary.Explanation(rule.Rule, listing.Shown)));
            foreach (var finding in listing.Shown)
            {
                var accepted = report.IsAccepted(finding) ? " [grey](accepted by the baseline)[/]" : string.Empty;
                if (verbose)
                {
                    console.MarkupLine($"  - [blue]{Markup.Escape(MarkdownReportWriter.Where(finding))}[/]{accepted}");
                    console.MarkupLine("    " + Markup.Escape(finding.Message));
                }
                else
                {
                    console.MarkupLine("  - " + Markup.Escape(FindingText.Fact(finding)) + accepted);
                }
            }

            if (ReportSummary.More(listing, alsoListedBy: ", as does --verbose") is { } more)
            {
                console.MarkupLine($"  [grey]{Markup.Escape(more)}[/]");
            }
        }
    }

    /// <summary>The verdict, the counts by rule and what to do next.</summary>
    public static void Summary(IAnsiConsole console, ScanReport report)
    {
        var colour = report.Status switch
        {
            ScanStatus.Consistent => "green",
            ScanStatus.Inconsistent when report.BlockingErrors > 0 => "red",
            _ => "yellow",
        };
        console.MarkupLine($"[{colour}]{Markup.Escape(ReportSummary.Verdict(report))}[/]");
        console.MarkupLine($"[grey]{Markup.Escape(report.Database)} and {Markup.Escape(report.Storage)}, {report.Duration.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s.[/]");
        var counts = ReportSummary.ByRule(report);
        var width = counts.Count == 0 ? 1 : counts.Max(c => c.Count.ToString(CultureInfo.InvariantCulture).Length);
        foreach (var count in counts)
        {
            console.MarkupLine($"  {count.Count.ToString(CultureInfo.InvariantCulture).PadLeft(width)} {SeverityMarkup(count.Severity)} {Markup.Escape(count.Rule)}");
        }

        if (report.Baseline is { } baseline)
        {
            console.MarkupLine(Markup.Escape($"Baseline {baseline.File}: {baseline.Accepted.Count} finding(s) accepted, {report.BlockingErrors} new error(s), {baseline.Fixed.Count} fixed since it was written")
                + (baseline.NotChecked.Count > 0 ? Markup.Escape($", {baseline.NotChecked.Count} not checked this time") : string.Empty) + ".");
            foreach (var entry in baseline.Fixed)
            {
                console.MarkupLine($"  [green]fixed[/] {Markup.Escape(entry.Rule)}: {Markup.Escape(entry.Message)}");
            }
        }

        if (report.InFlight > 0 || report.Unconfirmed > 0)
        {
            console.MarkupLine($"[grey]{report.InFlight} candidate(s) younger than the grace period ({Durations.Format(report.Grace)}) and {report.Unconfirmed} not confirmed on recheck were left out.[/]");
        }

        if (report.NotListed > 0)
        {
            console.MarkupLine($"[grey]{report.NotListed} more info finding(s) counted, not listed.[/]");
        }

        if (report.RulesSkipped.Count > 0)
        {
            console.MarkupLine("[grey]Skipped: " + Markup.Escape(string.Join("; ", report.RulesSkipped.Select(s => $"{s.Rule}: {s.Reason}"))) + "[/]");
        }

        console.MarkupLine(Markup.Escape(ReportSummary.NextStep(report)));
    }

    private static string SeverityMarkup(Severity severity) => severity switch
    {
        Severity.Error => "[red]error[/]",
        Severity.Warning => "[yellow]warning[/]",
        _ => "[grey]info[/]",
    };
}
