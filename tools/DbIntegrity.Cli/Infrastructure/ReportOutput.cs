using System.ComponentModel;
using DbIntegrity.Core;
using DbIntegrity.Core.Reporting;
using Spectre.Console;
using Spectre.Console.Cli;

namespace DbIntegrity.Cli.Infrastructure;

/// <summary>Flags for commands that print a report: the format and where it goes.</summary>
public class ReportCommandSettings : StorageCommandSettings
{
    [CommandOption("--format <FORMAT>")]
    [Description("table (default), json, junit, markdown or prometheus (check only: OpenMetrics text). With json, stdout holds only the JSON.")]
    [DefaultValue(ReportFormat.Table)]
    public ReportFormat Format { get; init; } = ReportFormat.Table;

    [CommandOption("-o|--output <FILE>")]
    [Description("Write the report to FILE instead of stdout.")]
    public string? Output { get; init; }
}

/// <summary>Writes a rendered report to stdout or to the --output file.</summary>
internal static class ReportOutput
{
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
            var directory = Path.GetDirectoryName(Path.GetFullPath(settings.Output));
            if (directory is not null)
            {
                Directory.CreateDirectory(directory);
            }

            await using var writer = new StreamWriter(settings.Output, append: false);
            var fileConsole = AnsiConsole.Create(new AnsiConsoleSettings
            {
                Ansi = AnsiSupport.No,
                ColorSystem = ColorSystemSupport.NoColors,
                Out = new AnsiConsoleOutput(writer),
                Interactive = InteractionSupport.No,
            });
            fileConsole.Profile.Width = 200;
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
