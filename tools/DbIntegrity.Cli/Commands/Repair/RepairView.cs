using DbIntegrity.Core.Backup;
using DbIntegrity.Core.Repair;
using Spectre.Console;

namespace DbIntegrity.Cli.Commands.Repair;

/// <summary>Human output of repair plan, repair apply, backup and restore: plain lines that read well in a CI log too.</summary>
internal static class RepairView
{
    public static void WritePlan(IAnsiConsole console, RepairPlan plan, string? file)
    {
        console.MarkupLineInterpolated($"[bold]Repair plan[/] for {plan.Target.Describe()}: scan found {plan.Scan.Errors} error(s), {plan.Scan.Warnings} warning(s), {plan.Scan.Info} info.");
        console.WriteLine();
        foreach (var fix in plan.Fixes)
        {
            console.MarkupLineInterpolated($"[bold]{fix.Id}[/] [blue]{Kind(fix.Kind)}[/]  answers {string.Join(", ", fix.Findings.GroupBy(f => f.Rule).Select(g => g.Count() > 1 ? $"{g.Key} ×{g.Count()}" : g.Key))}");
            console.Write(new Padder(new Text(fix.Summary), new Padding(4, 0, 0, 0)));
            console.Write(new Padder(new Text("For the daemon: " + fix.Effect, new Style(Color.Grey)), new Padding(4, 0, 0, 0)));
        }

        if (plan.Manual.Count > 0)
        {
            console.WriteLine();
            console.MarkupLine("[yellow bold]Needs a person[/] (no safe automatic fix):");
            foreach (var manual in plan.Manual)
            {
                console.MarkupLineInterpolated($"  [yellow]{manual.Rule}[/]");
                console.Write(new Padder(new Text(manual.Message), new Padding(4, 0, 0, 0)));
                console.Write(new Padder(new Text("Why manual: " + manual.Reason, new Style(Color.Grey)), new Padding(4, 0, 0, 0)));
            }
        }

        if (plan.NotRepaired.Count > 0)
        {
            console.WriteLine();
            console.MarkupLineInterpolated($"Not repaired (warnings and harmless info, see --include-warnings): {string.Join(", ", plan.NotRepaired.Select(kv => $"{kv.Key} {kv.Value}"))}");
        }

        console.WriteLine();
        console.MarkupLineInterpolated($"{plan.Fixes.Count} fix(es), {plan.Manual.Count} manual item(s).");
        if (file is not null && plan.Fixes.Count > 0)
        {
            console.MarkupLineInterpolated($"Plan written to {file}. Review it, then apply it with: dbintegrity repair apply {file}");
        }
        else if (file is not null)
        {
            console.MarkupLineInterpolated($"Plan written to {file}; it has no automatic fix to apply.");
        }
    }

    public static void WriteApply(IAnsiConsole console, RepairApplyResult result)
    {
        foreach (var fix in result.Fixes)
        {
            var (label, color) = fix.Outcome switch
            {
                FixOutcome.Applied => ("applied", "green"),
                FixOutcome.AlreadyDone => ("already done", "grey"),
                FixOutcome.Stale => ("stale", "red"),
                _ => ("not applied", "yellow"),
            };
            console.MarkupLine($"[bold]{Markup.Escape(fix.Id)}[/] [{color}]{label}[/]  {Markup.Escape(fix.Summary)}");
            if (fix.Detail is not null)
            {
                console.Write(new Padder(new Text(fix.Detail), new Padding(4, 0, 0, 0)));
            }
        }

        console.WriteLine();
        if (result.Backup is not null)
        {
            console.MarkupLineInterpolated($"Backup: {result.Backup} (rows.json, restore.sql, manifest.json, plan.json, objects/)");
            console.MarkupLineInterpolated($"  rows back:    download restore.sql and run: psql \"…\" -v ON_ERROR_STOP=1 -f restore.sql");
            console.MarkupLineInterpolated($"  objects back: dbintegrity restore {result.Backup}");
        }

        if (result.LocalBackupDirectory is not null)
        {
            console.MarkupLineInterpolated($"Local copy of the backup files: {result.LocalBackupDirectory}");
        }

        foreach (var note in result.Notes)
        {
            console.MarkupLineInterpolated($"[yellow]{note}[/]");
        }

        console.MarkupLine(result.Outcome switch
        {
            RepairOutcome.Applied => "[green]Repair applied.[/] Run dbintegrity check to confirm.",
            RepairOutcome.NothingToDo => "[green]Nothing to do:[/] every fix of this plan is already applied.",
            RepairOutcome.PartiallyBlocked => "[yellow]Rows repaired; some object changes were blocked.[/]",
            _ => "[red]Refused:[/] the data changed since the plan was made.",
        });
    }

    public static void WriteBackup(IAnsiConsole console, BackupResult result)
    {
        console.MarkupLineInterpolated($"Backed up {result.Manifest.Objects.Count} object(s) ({result.Manifest.Objects.Sum(o => o.Size):N0} bytes) to {result.Location}, every copy read back and verified.");
        foreach (var missing in result.Manifest.Missing)
        {
            console.MarkupLineInterpolated($"[red]missing[/]  {missing.Key} (referenced by {missing.ReferencedBy}): not in the bucket, so not in the backup");
        }

        foreach (var mismatch in result.ChecksumMismatches)
        {
            console.MarkupLineInterpolated($"[red]checksum[/] {mismatch.Key}: the object is not its identifier's package (§6.3 checksum {mismatch.Checksum ?? "unreadable"}); copied anyway");
        }

        console.MarkupLineInterpolated($"Manifest: {result.Location}/{BackupManifest.FileName}. Bring missing objects back with: dbintegrity restore {result.Location}");
    }

    public static void WriteRestore(IAnsiConsole console, IReadOnlyList<RestoredObject> results, bool dryRun)
    {
        foreach (var result in results.Where(r => r.Outcome != RestoreOutcome.Present))
        {
            var (label, color) = result.Outcome switch
            {
                RestoreOutcome.Restored => (dryRun ? "would restore" : "restored", "green"),
                RestoreOutcome.Skipped => ("skipped", "yellow"),
                _ => ("failed", "red"),
            };
            console.MarkupLine($"[{color}]{label}[/]  {Markup.Escape(result.Key)}{(result.Reason is null ? string.Empty : ": " + Markup.Escape(result.Reason))}");
        }

        var counts = results.GroupBy(r => r.Outcome).ToDictionary(g => g.Key, g => g.Count());
        console.WriteLine(
            $"{counts.GetValueOrDefault(RestoreOutcome.Restored)} {(dryRun ? "would be restored" : "restored")}, {counts.GetValueOrDefault(RestoreOutcome.Present)} already present, "
            + $"{counts.GetValueOrDefault(RestoreOutcome.Skipped)} skipped, {counts.GetValueOrDefault(RestoreOutcome.Failed)} failed.");
    }

    private static string Kind(RepairKind kind) => System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(kind.ToString());
}
