using System.ComponentModel;
using DbIntegrity.Cli.Infrastructure;
using DbIntegrity.Core.Migrating;
using Spectre.Console;
using Spectre.Console.Cli;

namespace DbIntegrity.Cli.Commands.Migrate;

/// <summary><c>dbintegrity migrate down --to … [--preview]</c>: reverts the applied migrations above the target in one transaction.</summary>
internal sealed class MigrateDownCommand(CliContext context) : AsyncCommand<MigrateDownCommand.Settings>
{
    public override async Task<int> ExecuteAsync(CommandContext commandContext, Settings settings, CancellationToken cancellationToken)
    {
        var database = settings.ResolveDatabase(context);
        await using var service = await MigrationService.CreateAsync(database, context.Catalog, cancellationToken);
        if (settings.Preview)
        {
            MigrationView.WriteScripts(context.Output, await service.PreviewAsync(MigrationDirection.Down, settings.Target, cancellationToken));
            return (int)ExitCode.Success;
        }

        MigrationView.WriteRun(context.Output, await service.DownAsync(settings.Target, cancellationToken));
        return (int)ExitCode.Success;
    }

    internal sealed class Settings : DatabaseCommandSettings
    {
        [CommandOption("--to <TARGET>")]
        [Description("Keep migrations up to this id or daemon version; 0 reverts everything (plugin tables included).")]
        public string? Target { get; init; }

        [CommandOption("--preview")]
        [Description("Print the SQL instead of running it.")]
        public bool Preview { get; init; }

        public override ValidationResult Validate() =>
            string.IsNullOrWhiteSpace(Target)
                ? ValidationResult.Error("migrate down needs --to: a migration id, a daemon version, or 0 to revert everything.")
                : ValidationResult.Success();
    }
}
