using System.ComponentModel;
using DbIntegrity.Cli.Infrastructure;
using DbIntegrity.Core.Gate;
using DbIntegrity.Core.Scanning;
using DbIntegrity.Core.Storage;
using Spectre.Console.Cli;

namespace DbIntegrity.Cli.Commands;

internal sealed class GateSettings : ScanCommandSettings
{
    internal override bool WritesGateReport => true;

    [CommandOption("--to <TARGET>")]
    [Description("The version you are about to migrate to: a migration id, a daemon version (e.g. 0.5.4) or latest (default). Below the current version, the gate checks a downgrade.")]
    public string? Target { get; init; }

    [CommandOption("--no-record")]
    [Description("Do not record the run in dbintegrity_check_runs (the gate's only write).")]
    public bool NoRecord { get; init; }
}

/// <summary>
/// <c>dbintegrity gate [--to …]</c>: may the database be migrated to the target? The integrity check, the preconditions
/// of every pending migration, and the applied migrations validated (known, in order, unchanged). Read-only except for
/// its record in dbintegrity_check_runs. Exit 0 pass, 1 block, 2 usage, 3 incomplete.
/// </summary>
internal sealed class GateCommand(CliContext context) : AsyncCommand<GateSettings>
{
    public override Task<int> ExecuteAsync(CommandContext commandContext, GateSettings settings, CancellationToken cancellationToken) =>
        RunAsync(context, settings, settings.Target, settings.NoRecord, (gate, options, progress) => gate.EvaluateAsync(options, progress, cancellationToken), cancellationToken);

    /// <summary>
    /// Runs one gate operation (<c>gate</c> evaluates, <c>migrate up --gate</c> migrates) with the settings both share,
    /// prints its report and returns the exit code.
    /// </summary>
    internal static async Task<int> RunAsync(
        CliContext context,
        ScanCommandSettings settings,
        string? target,
        bool noRecord,
        Func<GateService, GateOptions, IProgress<ScanProgress>, Task<GateReport>> operation,
        CancellationToken cancellationToken)
    {
        var options = new GateOptions
        {
            Target = target,
            Scan = settings.ToScanOptions(),
            Baseline = await settings.LoadBaselineAsync(cancellationToken),
            Record = !noRecord,
            Present = context.Present,
        };
        var database = settings.ResolveDatabase(context);
        var storage = settings.ResolveStorage(context);
        using var store = ObjectStoreFactory.Open(storage);
        await using var gate = await GateService.CreateAsync(database, store, storage.Layout, context.Catalog, cancellationToken);

        var report = await ScanProgressDisplay.RunAsync(context, progress => operation(gate, options, progress));
        await WriteReportAsync(context, settings, report, cancellationToken);
        return (int)ExitCodes.ForGate(report);
    }

    internal static Task WriteReportAsync(CliContext context, ReportCommandSettings settings, GateReport report, CancellationToken cancellationToken) =>
        ReportOutput.WriteReportAsync(context, settings, report, cancellationToken);
}
