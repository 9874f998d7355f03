using System.ComponentModel;
using DbIntegrity.Cli.Infrastructure;
using DbIntegrity.Cli.Rendering;
using DbIntegrity.Core.Baselines;
using DbIntegrity.Core.Deployments;
using DbIntegrity.Core.Reporting;
using DbIntegrity.Core.Reporting.Metrics;
using DbIntegrity.Core.Scanning;
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
        await using var connection = DeploymentConnection.Open(database, storage, "dbintegrity check");

        var report = await ScanProgressDisplay.RunAsync(
            context, progress => ScanAsync(connection.Deployment.Reader, options, baseline, progress, cancellationToken));

        var lastComplete = ReportFormats.Get(settings.Format) is PrometheusFormat ? await PreviousLastCompleteAsync(settings.Output, cancellationToken) : null;
        await WriteReportAsync(context, settings, report, cancellationToken, lastComplete);
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

    /// <summary>One check: the scan, then the baseline. <c>serve</c> runs exactly this on its interval.</summary>
    internal static async Task<ScanReport> ScanAsync(
        DeploymentReader deployment, ScanOptions options, BaselineFile? baseline, IProgress<ScanProgress>? progress, CancellationToken cancellationToken)
    {
        var report = await IntegrityScanner.ScanAsync(deployment, options, progress, cancellationToken);
        return baseline is null ? report : baseline.Apply(report);
    }

    internal static Task WriteReportAsync(CliContext context, ReportCommandSettings settings, ScanReport report, CancellationToken cancellationToken, DateTimeOffset? lastComplete = null) =>
        ReportOutput.WriteReportAsync(context, settings, report, lastComplete, cancellationToken);

    /// <summary>
    /// The textfile collector keeps only the newest file: an incomplete run carries the last complete scan's time over
    /// from the file it replaces, so "no complete scan for a day" stays measurable.
    /// </summary>
    private static async Task<DateTimeOffset?> PreviousLastCompleteAsync(string? output, CancellationToken cancellationToken)
    {
        if (output is null || !File.Exists(output))
        {
            return null;
        }

        try
        {
            return PrometheusReportWriter.ReadLastComplete(await File.ReadAllTextAsync(output, cancellationToken));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
