using System.ComponentModel;
using DbIntegrity.Cli.Rendering;
using DbIntegrity.Core;
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
    /// Renders the report in the --format of the settings, one of <paramref name="formats"/> (validated at parse time,
    /// before any work), redacted, to stdout or the --output file.
    /// </summary>
    public static Task WriteReportAsync<TFormat>(CliContext context, ReportCommandSettings settings, IReadOnlyList<TFormat> formats, Func<TFormat, RenderTarget, string> render, CancellationToken cancellationToken)
        where TFormat : class, IReportFormat
    {
        var format = ReportFormats.Find(formats, settings.Format)
            ?? throw new InvalidOperationException($"--format {settings.Format} passed validation but is not among the formats this report is written in.");
        return WriteAsync(context, settings, (console, _) => context.Redactor.Redact(render(format, new RenderTarget(console, settings.Verbose))), cancellationToken);
    }

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
