using System.ComponentModel;
using DbIntegrity.Cli.Infrastructure;
using DbIntegrity.Core;
using DbIntegrity.Core.Backup;
using DbIntegrity.Core.Deployments;
using DbIntegrity.Core.Repair;
using DbIntegrity.Core.Scanning;
using Spectre.Console;
using Spectre.Console.Cli;

namespace DbIntegrity.Cli.Commands.Repair;

/// <summary>
/// <c>dbintegrity repair plan</c>: check, then propose the smallest fix for each error finding (or say why a person must
/// act). Read-only: it needs exactly what <c>check</c> needs. Exit 0 nothing to repair, 1 a plan with fixes or manual
/// items, 2 usage, 3 the scan could not complete (no plan is written then), 130 cancelled.
/// </summary>
internal sealed class RepairPlanCommand(CliContext context) : AsyncCommand<RepairPlanCommand.Settings>
{
    public override async Task<int> ExecuteAsync(CommandContext commandContext, Settings settings, CancellationToken cancellationToken)
    {
        // Before the scan: a plan that cannot be written should fail in a second, not after a long scan.
        if (OutputFile.CheckFolder(settings.Output, "-o") is { } problem)
        {
            throw new ConfigurationException(problem);
        }

        var database = settings.ResolveDatabase(context);
        var storage = settings.ResolveStorage(context);
        await using var connection = DeploymentConnection.Open(database, storage, "dbintegrity repair plan");
        var store = connection.Store;
        var backups = new List<LoadedBackup>();
        foreach (var text in settings.FromBackup ?? [])
        {
            var location = BackupLocation.Parse(text, store, defaultPrefix: string.Empty);
            backups.Add(new LoadedBackup(location, await BackupJson.LoadAsync(store.ForBucket(location.Bucket, "--from-backup"), location, cancellationToken)));
        }

        var target = RepairTarget.Create(database.Host, database.Port, database.Database, store.Bucket, storage.Layout);
        var result = await ScanProgressDisplay.RunAsync(context, progress => RepairPlanning.PlanAsync(
            connection.Deployment.Reader, bucket => store.ForBucket(bucket, "--from-backup"), target, settings.ToScanOptions(), new RepairPlanOptions { IncludeWarnings = settings.IncludeWarnings, Backups = backups }, progress, cancellationToken));

        if (result.Plan is not { } plan)
        {
            context.Diagnostics.MarkupLineInterpolated(
                $"[red]error:[/] could not plan: the scan is incomplete: {context.Redactor.Redact(result.Scan.IncompleteReason ?? "cancelled")}. No plan was written; fix the access or raise --timeout, then plan again.");
            return (int)ExitCodes.ForScan(result.Scan);
        }

        var json = RepairPlanJson.Write(plan);
        if (settings.Output is { } file)
        {
            try
            {
                await File.WriteAllTextAsync(file, json, cancellationToken);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new ConfigurationException($"Cannot write the plan to {file}: {ex.Message}");
            }
        }

        if (settings.Format == OutputFormat.Json)
        {
            context.WriteResult(json);
        }
        else
        {
            context.WriteResult(c => RepairView.WritePlan(c, plan, settings.Output, result.Scan));
        }

        return (int)(plan.IsEmpty ? ExitCode.Success : ExitCode.Findings);
    }

    internal sealed class Settings : StorageCommandSettings
    {
        [CommandOption("-o|--output <FILE>")]
        [Description("Write the plan (JSON) to FILE, for repair apply.")]
        public string? Output { get; init; }

        [CommandOption("--format <FORMAT>")]
        [Description("table (default) or json (the plan itself on stdout).")]
        [DefaultValue(OutputFormat.Table)]
        public OutputFormat Format { get; init; } = OutputFormat.Table;

        [CommandOption("--rules <IDS>")]
        [Description("Only plan for these rules, comma-separated.")]
        public string? Rules { get; init; }

        [CommandOption("--grace <DURATION>")]
        [Description($"Rows and objects younger than this are in flight and left alone (default {ScanOptions.DefaultGrace}).")]
        [DefaultValue(ScanOptions.DefaultGrace)]
        public string Grace { get; init; } = ScanOptions.DefaultGrace;

        [CommandOption("--deep")]
        [Description("Also download packages, so packages whose checksum is wrong or that cannot be read are replaced from a verified copy.")]
        public bool Deep { get; init; }

        [CommandOption("--include-warnings")]
        [Description("Also fix warnings that have a safe fix (installed markers with no plugins row). Info findings are never repaired.")]
        public bool IncludeWarnings { get; init; }

        [CommandOption("--from-backup <LOCATION>")]
        [Description("A backup (s3://bucket/prefix/backup-…, azure://container/prefix/backup-…, a folder under a local root, or prefix/backup-… in the daemon's store) whose verified copies may restore missing packages and markers. Repeatable.")]
        public string[]? FromBackup { get; init; }

        [CommandOption("--timeout <DURATION>")]
        [Description($"Give up (exit 3) if the scan takes longer (default {ScanOptions.DefaultTimeout}; 0 means no limit).")]
        [DefaultValue(ScanOptions.DefaultTimeout)]
        public string Timeout { get; init; } = ScanOptions.DefaultTimeout;

        // repair plan has its own --format and -o (the plan, not a report), so it cannot inherit ScanCommandSettings.
        public ScanOptions ToScanOptions() => ScanCommandSettings.BuildScanOptions(Deep, ScanOptions.DefaultDeepParallelism, Grace, Timeout, Rules);
    }
}
