using System.ComponentModel;
using DbIntegrity.Cli.Infrastructure;
using DbIntegrity.Core.Migrating;
using Spectre.Console.Cli;

namespace DbIntegrity.Cli.Commands.Migrate;

/// <summary><c>dbintegrity migrate up [--to …] [--preview]</c>: applies the pending migrations in one transaction.</summary>
internal sealed class MigrateUpCommand(CliContext context) : AsyncCommand<MigrateUpCommand.Settings>
{
    public override async Task<int> ExecuteAsync(CommandContext commandContext, Settings settings, CancellationToken cancellationToken)
    {
        var database = settings.ResolveDatabase(context);
        await using var service = await MigrationService.CreateAsync(database, cancellationToken);
        if (settings.Preview)
        {
            MigrationView.WriteScripts(context.Output, await service.PreviewAsync(MigrationDirection.Up, settings.Target, cancellationToken));
            return (int)ExitCode.Success;
        }

        MigrationView.WriteRun(context.Output, await service.UpAsync(settings.Target, cancellationToken));
        return (int)ExitCode.Success;
    }

    internal sealed class Settings : DatabaseCommandSettings
    {
        [CommandOption("--to <TARGET>")]
        [Description("Stop at this migration id or daemon version (e.g. 0.5.2: its last migration). Default: latest.")]
        public string? Target { get; init; }

        [CommandOption("--preview")]
        [Description("Print the SQL instead of running it.")]
        public bool Preview { get; init; }
    }
}
