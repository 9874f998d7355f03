using System.ComponentModel;
using DbIntegrity.Cli.Rendering;
using DbIntegrity.Core;
using DbIntegrity.Core.Gate;
using DbIntegrity.Core.Reporting;
using Spectre.Console;
using Spectre.Console.Cli;

namespace DbIntegrity.Cli.Infrastructure;

/// <summary>Flags for commands that print a report: the format and where it goes.</summary>
public class ReportCommandSettings : StorageCommandSettings
{
    [CommandOption("--format <FORMAT>")]
    [Description("table (default), json, junit, markdown or prometheus (check only: OpenMetrics text). With json, stdout holds only the JSON.")]
    [DefaultValue(ReportFormats.Default)]
    public string Format { get; init; } = ReportFormats.Default;

    [CommandOption("-o|--output <FILE>")]
    [Description("Write the report to FILE instead of stdout (its folder must exist).")]
    public string? Output { get; init; }

    [CommandOption("--verbose")]
    [Description("table: every finding with its locator and full message, no limit per rule.")]
    public bool Verbose { get; init; }

    /// <summary>True for the commands whose report is a gate report (<c>gate</c>, <c>migrate up --gate</c>).</summary>
    internal virtual bool WritesGateReport => false;

    public override ValidationResult Validate()
    {
        IReadOnlyList<IReportFormat> formats = WritesGateReport ? ReportFormats.Gate : ReportFormats.All;
        if (ReportFormats.Find(formats, Format) is null)
        {
            return ValidationResult.Error($"--format {Format} is not a report format{(WritesGateReport ? " of the gate" : string.Empty)}: use {ReportFormats.NamesOf(formats)}.");
        }

        return OutputFile.CheckFolder(Output, "--output") is { } problem ? ValidationResult.Error(problem) : ValidationResult.Success();
    }
}

/// <summary>Writes a rendered report to stdout or to the --output file.</summary>
internal static class ReportOutput
{
    /// <summary>
    /// Writes the check's report in the --format of the settings (validated at parse time, before any work) to stdout or
    /// the --output file: a streamed format (JSON) finding by finding, each string presented on its way out; any other
    /// format rendered, then presented as a whole (they summarise beyond a limit, so their text stays small).
    /// </summary>
    public static Task WriteReportAsync(CliContext context, ReportCommandSettings settings, ScanReport report, DateTimeOffset? lastComplete, CancellationToken cancellationToken)
    {
        var format = Resolve(ReportFormats.All, settings);
        return format is IStreamedReportFormat streamed
            ? WriteStreamAsync(context, settings, (output, token) => streamed.WriteAsync(report, output, context.Present, token))
            : WriteAsync(context, settings, (console, _) => context.Present(format.Render(report, new RenderTarget(console, settings.Verbose) { LastComplete = lastComplete })), cancellationToken);
    }

    /// <summary>The gate's report, as <see cref="WriteReportAsync(CliContext, ReportCommandSettings, ScanReport, DateTimeOffset?, CancellationToken)"/>.</summary>
    public static Task WriteReportAsync(CliContext context, ReportCommandSettings settings, GateReport report, CancellationToken cancellationToken)
    {
        var format = Resolve(ReportFormats.Gate, settings);
        return format is IStreamedGateReportFormat streamed
            ? WriteStreamAsync(context, settings, (output, token) => streamed.WriteAsync(report, output, context.Present, token))
            : WriteAsync(context, settings, (console, _) => context.Present(format.Render(report, new RenderTarget(console, settings.Verbose))), cancellationToken);
    }

    /// <summary>
    /// Streams a report to stdout or the --output file; <paramref name="write"/> presents what it writes. It is written to
    /// the end even after Ctrl+C: a cancelled check's answer is its incomplete report.
    /// </summary>
    public static async Task WriteStreamAsync(CliContext context, ReportCommandSettings settings, Func<Stream, CancellationToken, Task> write)
    {
        if (settings.Output is null)
        {
            var stdout = context.Output.Profile.Out.Writer;
            await using (var stream = new TextWriterStream(stdout))
            {
                await write(stream, CancellationToken.None);
            }

            await stdout.WriteLineAsync();
            await stdout.FlushAsync(CancellationToken.None);
            return;
        }

        try
        {
            await using var file = new FileStream(settings.Output, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1 << 16, useAsync: true);
            await write(file, CancellationToken.None);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationException($"Cannot write the report to {settings.Output}: {ex.Message}");
        }

        context.Diagnostics.MarkupLineInterpolated($"[grey]report written to {settings.Output}[/]");
    }

    private static TFormat Resolve<TFormat>(IReadOnlyList<TFormat> formats, ReportCommandSettings settings)
        where TFormat : class, IReportFormat =>
        ReportFormats.Find(formats, settings.Format)
            ?? throw new InvalidOperationException($"--format {settings.Format} passed validation but is not among the formats this report is written in.");

    public static async Task WriteAsync(CliContext context, ReportCommandSettings settings, Func<IAnsiConsole, bool, string?> render, CancellationToken cancellationToken)
    {
        if (settings.Output is null)
        {
            var text = render(context.Output, true);
            if (text is not null)
            {
                context.Output.Profile.Out.Writer.Write(text);
                if (!text.EndsWith('\n'))
                {
                    context.Output.Profile.Out.Writer.WriteLine();
                }

                await context.Output.Profile.Out.Writer.FlushAsync(cancellationToken);
            }

            return;
        }

        try
        {
            await using var writer = new StreamWriter(settings.Output, append: false);
            var fileConsole = AnsiConsole.Create(new AnsiConsoleSettings
            {
                Ansi = AnsiSupport.No,
                ColorSystem = ColorSystemSupport.NoColors,
                Out = new AnsiConsoleOutput(writer),
                Interactive = InteractionSupport.No,
            });
            fileConsole.Profile.Width = ConsoleWidth.NoWrap;
            var text = render(fileConsole, false);
            if (text is not null)
            {
                await writer.WriteAsync(text);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationException($"Cannot write the report to {settings.Output}: {ex.Message}");
        }

        context.Diagnostics.MarkupLineInterpolated($"[grey]report written to {settings.Output}[/]");
    }
}
