using System.ComponentModel;
using DbIntegrity.Cli.Infrastructure;
using DbIntegrity.Core.Migrating;
using Spectre.Console;
using Spectre.Console.Cli;

namespace DbIntegrity.Cli.Commands.Migrate;

/// <summary>
/// <c>dbintegrity migrate baseline</c>: adopts a database the daemon made itself by recognising its release and
/// recording the upstream migrations up to it as applied. With drift it records nothing unless --accept-drift (exit 1);
/// --preview records nothing either way and exits with the code the real run would.
/// </summary>
internal sealed class MigrateBaselineCommand(CliContext context) : AsyncCommand<MigrateBaselineCommand.Settings>
{
    public override async Task<int> ExecuteAsync(CommandContext commandContext, Settings settings, CancellationToken cancellationToken)
    {
        var database = settings.ResolveDatabase(context);
        await using var service = await MigrationService.CreateAsync(database, context.Catalog, cancellationToken);
        var result = await service.BaselineAsync(settings.AcceptDrift, record: !settings.Preview, cancellationToken);
        MigrationView.WriteRecognition(context.Output, result.Recognition);
        var last = result.Migrations[^1];
        if (result.Recorded)
        {
            context.Output.MarkupLineInterpolated(
                $"Recorded {result.Migrations.Count} migration(s) up to {last.Id} ({last.Origin}) as applied. dbintegrity migrate up now applies only what follows.");
            return (int)ExitCode.Success;
        }

        // A preview exits as the real run would: 1 when drift would stop it, so a script can try it first.
        if (settings.Preview && (!result.Recognition.HasDrift || settings.AcceptDrift))
        {
            context.Output.MarkupLineInterpolated($"Preview: would record {result.Migrations.Count} migration(s) up to {last.Id} ({last.Origin}) as applied.");
            return (int)ExitCode.Success;
        }

        context.Diagnostics.MarkupLineInterpolated(
            $"[yellow]Nothing recorded:[/] the database has drift against daemon {result.Recognition.Version}. Fix it, or pass --accept-drift to record {last.Id} anyway.");
        return (int)ExitCode.Findings;
    }

    internal sealed class Settings : DatabaseCommandSettings
    {
        [CommandOption("--accept-drift")]
        [Description("Record the recognised version even though pieces of its schema are missing or different.")]
        public bool AcceptDrift { get; init; }

        [CommandOption("--preview")]
        [Description("Show what would be recorded without recording it.")]
        public bool Preview { get; init; }
    }
}
