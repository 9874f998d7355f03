using System.ComponentModel;
using System.Text.Json;
using DbIntegrity.Cli.Commands.Repair;
using DbIntegrity.Cli.Infrastructure;
using DbIntegrity.Core.Backup;
using DbIntegrity.Core.Deployments;
using Spectre.Console.Cli;

namespace DbIntegrity.Cli.Commands.Backup;

/// <summary>
/// <c>dbintegrity restore BACKUP</c>: brings missing objects back from a backup (of dbintegrity backup or of a repair).
/// Never overwrites. Exit 0 every missing object restored, 1 some skipped (unsafe without --all) or failed
/// verification, 2 usage (no such backup), 3 could not complete.
/// </summary>
internal sealed class RestoreCommand(CliContext context) : AsyncCommand<RestoreCommand.Settings>
{
    public override async Task<int> ExecuteAsync(CommandContext commandContext, Settings settings, CancellationToken cancellationToken)
    {
        var database = settings.ResolveDatabase(context);
        var storage = settings.ResolveStorage(context);
        await using var connection = DeploymentConnection.Open(database, storage, "dbintegrity restore");
        var store = connection.Store;
        var location = BackupLocation.Parse(settings.Backup, store, defaultPrefix: string.Empty);
        var log = context.DiagnosticLog();

        var results = await RestoreService.RunAsync(
            new RestoreRequest(connection.Deployment, store.ForBucket(location.Bucket, "the backup location"), location) { DryRun = settings.DryRun, All = settings.All }, log, cancellationToken);
        if (settings.Format == OutputFormat.Json)
        {
            context.WriteResult(JsonSerializer.Serialize(new { dryRun = settings.DryRun, objects = results }, BackupJson.Options));
        }
        else
        {
            context.WriteResult(c => RepairView.WriteRestore(c, results, settings.DryRun));
        }

        return (int)(results.All(r => r.Outcome is RestoreOutcome.Restored or RestoreOutcome.Present) ? ExitCode.Success : ExitCode.Findings);
    }

    internal sealed class Settings : StorageCommandSettings
    {
        [CommandArgument(0, "<BACKUP>")]
        [Description("The backup folder as backup or repair apply printed it: s3://bucket/prefix/backup-… (or repair-…), azure://container/…, a folder under a local root, or that path in the daemon's store.")]
        public string Backup { get; init; } = string.Empty;

        [CommandOption("--dry-run")]
        [Description("Say what would be restored; write nothing.")]
        public bool DryRun { get; init; }

        [CommandOption("--all")]
        [Description("Also restore markers of plugins not installed and keys the daemon cannot use (checksums are still verified).")]
        public bool All { get; init; }

        [CommandOption("--format <FORMAT>")]
        [Description("table (default) or json.")]
        [DefaultValue(OutputFormat.Table)]
        public OutputFormat Format { get; init; } = OutputFormat.Table;
    }
}
