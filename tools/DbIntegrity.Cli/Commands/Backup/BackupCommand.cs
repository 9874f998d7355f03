using System.ComponentModel;
using System.Text.Json;
using DbIntegrity.Cli.Commands.Repair;
using DbIntegrity.Cli.Infrastructure;
using DbIntegrity.Core.Backup;
using DbIntegrity.Core.Deployments;
using Spectre.Console.Cli;

namespace DbIntegrity.Cli.Commands.Backup;

/// <summary>
/// <c>dbintegrity backup</c>: copies every package and installed marker the database refers to (icons with --assets) to a
/// backup location, verifies every copy and writes a manifest. Exit 0 complete, 1 some referenced objects were missing
/// or are not their identifier's package (the rest is backed up), 2 usage, 3 could not complete.
/// </summary>
internal sealed class BackupCommand(CliContext context) : AsyncCommand<BackupCommand.Settings>
{
    public override async Task<int> ExecuteAsync(CommandContext commandContext, Settings settings, CancellationToken cancellationToken)
    {
        var database = settings.ResolveDatabase(context);
        var storage = settings.ResolveStorage(context);
        await using var connection = DeploymentConnection.Open(database, storage, "dbintegrity backup");
        var store = connection.Store;
        var location = BackupLocation.Parse(settings.To, store);
        var log = context.DiagnosticLog();

        var result = await BackupService.RunAsync(connection.Deployment, store.ForBucket(location.Bucket, "--to"), location, settings.Assets, log, cancellationToken);
        if (settings.Format == OutputFormat.Json)
        {
            context.WriteResult(JsonSerializer.Serialize(new { location = result.Location.ToString(), complete = result.Complete, manifest = result.Manifest }, BackupJson.Options));
        }
        else
        {
            context.WriteResult(c => RepairView.WriteBackup(c, result));
        }

        return (int)(result.Complete ? ExitCode.Success : ExitCode.Findings);
    }

    internal sealed class Settings : StorageCommandSettings
    {
        [CommandOption("--to <LOCATION>")]
        [Description("s3://bucket/prefix, azure://container/prefix, a folder under a local root, or a prefix in the daemon's store (default dbintegrity-backups). A folder backup-<time> is created there.")]
        public string? To { get; init; }

        [CommandOption("--assets")]
        [Description("Also copy every icon (assets/) the declarations name.")]
        public bool Assets { get; init; }

        [CommandOption("--format <FORMAT>")]
        [Description("table (default) or json (the manifest).")]
        [DefaultValue(OutputFormat.Table)]
        public OutputFormat Format { get; init; } = OutputFormat.Table;
    }
}
