using DbIntegrity.Cli.Rendering;
using DbIntegrity.Core.Backup;
using DbIntegrity.Core.Configuration;
using DbIntegrity.Core.Json;
using DbIntegrity.Core.Repair;
using DbIntegrity.Core.Reporting;
using Spectre.Console;

namespace DbIntegrity.Cli.Commands.Repair;

/// <summary>Human output of repair plan, repair apply, backup and restore: plain lines that read well in a CI log too.</summary>
internal static class RepairView
{
    public static void WritePlan(IAnsiConsole console, RepairPlan plan, string? file, ScanReport? scan = null)
    {
        console.MarkupLineInterpolated($"[bold]Repair plan[/] for {plan.Target.Describe()}: scan found {plan.Scan.Errors} error(s), {plan.Scan.Warnings} warning(s), {plan.Scan.Info} info.");
        console.WriteLine();
        foreach (var fix in plan.Fixes)
        {
            console.MarkupLineInterpolated($"[bold]{fix.Id}[/] [blue]{Kind(fix.Kind)}[/]  answers {string.Join(", ", fix.Findings.GroupBy(f => f.Rule).Select(g => g.Count() > 1 ? $"{g.Key} ×{g.Count()}" : g.Key))}");
            Lines.Indented(console, fix.Summary);
            Lines.Indented(console, "For the daemon: " + fix.Effect, "grey");
        }

        if (plan.Manual.Count > 0)
        {
            console.WriteLine();
            console.MarkupLine("[yellow bold]Needs a person[/] (no safe automatic fix):");
            foreach (var manual in plan.Manual)
            {
                console.MarkupLineInterpolated($"  [yellow]{manual.Rule}[/]");
                Lines.Indented(console, manual.Message);
                Lines.Indented(console, "Why manual: " + manual.Reason, "grey");
            }
        }

        if (plan.NotRepaired.Count > 0)
        {
            console.WriteLine();
            console.MarkupLineInterpolated($"Not repaired (warnings and harmless info, see --include-warnings): {string.Join(", ", plan.NotRepaired.Select(kv => $"{kv.Key} {kv.Value}"))}");
        }

        console.WriteLine();
        console.MarkupLineInterpolated($"{plan.Fixes.Count} fix(es), {plan.Manual.Count} manual item(s).");
        if (scan is not null && (scan.InFlight > 0 || scan.Unconfirmed > 0))
        {
            console.MarkupLineInterpolated(
                $"[grey]{scan.InFlight} candidate(s) younger than the grace period ({Durations.Format(scan.Grace)}) and {scan.Unconfirmed} not confirmed on recheck were left out: the daemon may still be writing them; plan again later to include them.[/]");
        }

        if (file is not null && plan.Fixes.Count > 0)
        {
            console.MarkupLineInterpolated($"Plan written to {file}. Review it, then apply it with: dbintegrity repair apply {file}");
        }
        else if (file is not null)
        {
            console.MarkupLineInterpolated($"Plan written to {file}; it has no automatic fix to apply.");
        }
    }

    /// <summary>Each fix once, with its outcome (the progress log on stderr does not repeat them), then the way back.</summary>
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
                Lines.Indented(console, fix.Detail);
            }
        }

        console.WriteLine();
        if (result.Backup is not null)
        {
            console.MarkupLineInterpolated($"Backup: {result.Backup} (rows.json, restore.sql, manifest.json, plan.json, objects/)");
            if (result.LocalBackupDirectory is { } local)
            {
                console.MarkupLineInterpolated($"  rows back:    psql \"…\" -v ON_ERROR_STOP=1 -f {Path.Combine(local, "restore.sql")}");
            }
            else
            {
                console.MarkupLineInterpolated($"  rows back:    download restore.sql and run: psql \"…\" -v ON_ERROR_STOP=1 -f restore.sql");
            }
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
        var copied = result.Manifest.Objects.Count;
        if (copied == 0)
        {
            console.MarkupLineInterpolated($"Nothing was copied to {result.Location}: no referenced package or marker could be read (see the missing objects below, if any).");
        }
        else
        {
            console.MarkupLineInterpolated($"Backed up {copied} object(s) ({result.Manifest.Objects.Sum(o => o.Size):N0} bytes) to {result.Location}, every copy read back and verified.");
        }
        foreach (var missing in result.Manifest.Missing)
        {
            console.MarkupLineInterpolated($"[red]missing[/]  {missing.Key} (referenced by {missing.ReferencedBy}): not in the bucket, so not in the backup");
        }

        foreach (var mismatch in result.ChecksumMismatches)
        {
            console.MarkupLineInterpolated($"[red]checksum[/] {mismatch.Key}: the object is not its identifier's package (checksum (docs/daemon/packages.md#checksum) {mismatch.Checksum ?? "unreadable"}); copied anyway");
        }

        if (copied == 0)
        {
            console.MarkupLineInterpolated($"Manifest: {result.Location}/{BackupManifest.FileName}. This backup holds no copy, so there is nothing to restore from it.");
        }
        else
        {
            console.MarkupLineInterpolated($"Manifest: {result.Location}/{BackupManifest.FileName}. If objects go missing later, bring them back with: dbintegrity restore {result.Location}");
        }
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

    private static string Kind(RepairKind kind) => JsonFiles.Name(kind);
}
