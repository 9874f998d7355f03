using System.ComponentModel;
using DbIntegrity.Cli.Infrastructure;
using DbIntegrity.Core.Baselines;
using DbIntegrity.Core.Reporting;
using DbIntegrity.Core.Scanning;
using DbIntegrity.Core.Storage;
using Spectre.Console;
using Spectre.Console.Cli;

namespace DbIntegrity.Cli.Commands;

internal sealed class CheckSettings : ScanCommandSettings
{
    [CommandOption("--write-baseline <FILE>")]
    [Description("Write the error and warning findings to FILE as a baseline (see --baseline) and exit 0; an incomplete scan writes nothing and exits 3.")]
    public string? WriteBaseline { get; init; }
}

/// <summary><c>dbintegrity check</c>: cross-check the plugin tables against the bucket and name every broken reference.</summary>
internal sealed class CheckCommand(CliContext context) : AsyncCommand<CheckSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext commandContext, CheckSettings settings, CancellationToken cancellationToken)
    {
        var options = settings.ToScanOptions();
        var database = settings.ResolveDatabase(context);
        var storage = settings.ResolveStorage(context);
        var baseline = await settings.LoadBaselineAsync(cancellationToken);
        await using var dataSource = database.CreateDataSource("dbintegrity check");
        using var store = S3ObjectStore.Create(storage);

        var report = await ScanProgressDisplay.RunAsync(
            context, progress => IntegrityScanner.ScanAsync(dataSource, store, storage.Layout, options, progress, cancellationToken));
        if (baseline is not null)
        {
            report = baseline.Apply(report);
        }

        await WriteReportAsync(context, settings, report, cancellationToken);
        if (settings.WriteBaseline is not { } path)
        {
            return (int)ExitCodes.ForScan(report);
        }

        if (report.Status == ScanStatus.Incomplete)
        {
            context.Diagnostics.MarkupLineInterpolated($"[yellow]no baseline written:[/] the scan did not finish, so {path} would miss findings.");
            return (int)ExitCodes.ForScan(report);
        }

        var written = await BaselineFile.WriteAsync(path, report, cancellationToken);
        context.Diagnostics.MarkupLineInterpolated($"[grey]baseline written to {path}: {written} error and warning finding(s) accepted from now on.[/]");
        return (int)ExitCode.Success;
    }

    internal static Task WriteReportAsync(CliContext context, ReportCommandSettings settings, ScanReport report, CancellationToken cancellationToken) =>
        ReportOutput.WriteReportAsync(context, settings, (format, target) => format.Render(report, target), cancellationToken);
}
