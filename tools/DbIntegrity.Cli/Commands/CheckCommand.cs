using System.ComponentModel;
using DbIntegrity.Cli.Infrastructure;
using DbIntegrity.Cli.Rendering;
using DbIntegrity.Core.Configuration;
using DbIntegrity.Core.Reporting;
using DbIntegrity.Core.Scanning;
using DbIntegrity.Core.Storage;
using Spectre.Console;
using Spectre.Console.Cli;

namespace DbIntegrity.Cli.Commands;

internal sealed class CheckSettings : ReportCommandSettings
{
    [CommandOption("--deep")]
    [Description("Also download packages: recompute checksums, read manifests.")]
    public bool Deep { get; init; }

    [CommandOption("--deep-parallelism <N>")]
    [Description("Packages downloaded at once with --deep (default 4).")]
    [DefaultValue(4)]
    public int DeepParallelism { get; init; } = 4;

    [CommandOption("--grace <DURATION>")]
    [Description("Rows and objects younger than this are in flight, not broken (default 5m; 0 turns it off).")]
    [DefaultValue("5m")]
    public string Grace { get; init; } = "5m";

    [CommandOption("--rules <IDS>")]
    [Description("Only these rules, comma-separated.")]
    public string? Rules { get; init; }

    [CommandOption("--timeout <DURATION>")]
    [Description("Give up (exit 3) if the scan takes longer (default 30m).")]
    [DefaultValue("30m")]
    public string Timeout { get; init; } = "30m";

    public override ValidationResult Validate() =>
        DeepParallelism is < 1 or > 64 ? ValidationResult.Error("--deep-parallelism must be between 1 and 64.") : ValidationResult.Success();

    public ScanOptions ToScanOptions() => new()
    {
        Deep = Deep,
        DeepParallelism = DeepParallelism,
        Grace = Durations.Parse(Grace, "--grace"),
        Timeout = Durations.Parse(Timeout, "--timeout") is { } t && t > TimeSpan.Zero ? t : null,
        Rules = Rules?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal),
    };
}

/// <summary><c>dbintegrity check</c>: cross-check the plugin tables against the bucket and name every broken reference.</summary>
internal sealed class CheckCommand(CliContext context) : AsyncCommand<CheckSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext commandContext, CheckSettings settings, CancellationToken cancellationToken)
    {
        var options = settings.ToScanOptions();
        var database = settings.ResolveDatabase(context);
        var storage = settings.ResolveStorage(context);
        await using var dataSource = database.CreateDataSource("dbintegrity check");
        using var store = S3ObjectStore.Create(storage);

        var report = await ScanProgressDisplay.RunAsync(
            context, progress => IntegrityScanner.ScanAsync(dataSource, store, storage.Layout, options, progress, cancellationToken));
        await WriteReportAsync(context, settings, report, cancellationToken);
        return (int)ExitCodes.ForScan(report);
    }

    internal static Task WriteReportAsync(CliContext context, ReportCommandSettings settings, ScanReport report, CancellationToken cancellationToken) =>
        ReportOutput.WriteAsync(context, settings, (console, _) =>
        {
            switch (settings.Format)
            {
                case ReportFormat.Json:
                    return context.Redactor.Redact(JsonReportWriter.Write(report));
                case ReportFormat.Junit:
                    return context.Redactor.Redact(JunitReportWriter.Write(report));
                case ReportFormat.Markdown:
                    return context.Redactor.Redact(MarkdownReportWriter.Write(report));
                default:
                    ReportTable.Render(console, report);
                    return null;
            }
        }, cancellationToken);
}
