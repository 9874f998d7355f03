using System.ComponentModel;
using DbIntegrity.Cli.Infrastructure;
using DbIntegrity.Cli.Rendering;
using DbIntegrity.Core.Migrating;
using DbIntegrity.Core.Scanning;
using Spectre.Console;
using Spectre.Console.Cli;

namespace DbIntegrity.Cli.Commands.Migrate;

/// <summary>
/// <c>dbintegrity migrate up [--to …] [--preview | --gate]</c>: applies the pending migrations in one transaction. With
/// --gate, the gate runs first, the preconditions of each migration are checked again right before it, and the
/// integrity check runs again inside the transaction; the run commits only if no new error finding appeared.
/// </summary>
internal sealed class MigrateUpCommand(CliContext context) : AsyncCommand<MigrateUpCommand.Settings>
{
    public override async Task<int> ExecuteAsync(CommandContext commandContext, Settings settings, CancellationToken cancellationToken)
    {
        // A target that names no migration fails before any connection (exit 2), whatever the database's state.
        _ = context.Catalog.Target(settings.Target, MigrationDirection.Up);
        if (settings.Gate)
        {
            return await GatedAsync(settings, cancellationToken);
        }

        var database = settings.ResolveDatabase(context);
        await using var service = await MigrationService.CreateAsync(database, context.Catalog, cancellationToken);
        if (settings.Preview)
        {
            MigrationView.WriteScripts(context.Output, await service.PreviewAsync(MigrationDirection.Up, settings.Target, cancellationToken));
            return (int)ExitCode.Success;
        }

        MigrationView.WriteRun(context.Output, await service.UpAsync(settings.Target, cancellationToken));
        return (int)ExitCode.Success;
    }

    private Task<int> GatedAsync(Settings settings, CancellationToken cancellationToken) =>
        GateCommand.RunAsync(context, settings, settings.Target, settings.NoRecord, (gate, options, progress) => gate.MigrateAsync(options, progress, cancellationToken), cancellationToken);

    internal sealed class Settings : ScanCommandSettings
    {
        internal override bool WritesGateReport => true;

        [CommandOption("--to <TARGET>")]
        [Description("Stop at this migration id or daemon version (e.g. 0.5.2: its last migration). Default: latest.")]
        public string? Target { get; init; }

        [CommandOption("--preview")]
        [Description("Print the SQL instead of running it.")]
        public bool Preview { get; init; }

        [CommandOption("--gate")]
        [Description("Run the gate first; re-check inside the migration transaction and commit only if no new error finding appeared. "
            + "The check, report and baseline flags apply only with --gate.")]
        public bool Gate { get; init; }

        [CommandOption("--no-record")]
        [Description("With --gate: do not record the run in dbintegrity_check_runs.")]
        public bool NoRecord { get; init; }

        public override ValidationResult Validate()
        {
            if (Gate && Preview)
            {
                return ValidationResult.Error("--gate and --preview exclude each other: --preview runs nothing, so there is nothing to gate.");
            }

            // Compared with the declared defaults: a check flag given without --gate would otherwise be ignored silently.
            var checkFlags = Baseline is not null || Output is not null || !string.Equals(Format, ReportFormats.Default, StringComparison.OrdinalIgnoreCase) || Deep || Rules is not null || NoRecord
                || Grace != ScanOptions.DefaultGrace || Timeout != ScanOptions.DefaultTimeout || DeepParallelism != ScanOptions.DefaultDeepParallelism;
            if (!Gate && checkFlags)
            {
                return ValidationResult.Error(
                    "--baseline, --format, --output, --deep, --deep-parallelism, --rules, --grace, --timeout and --no-record apply only with --gate: add --gate, or drop them.");
            }

            return base.Validate();
        }
    }
}
