using DbIntegrity.Cli.Infrastructure;
using DbIntegrity.Core;
using DbIntegrity.Core.Database;
using DbIntegrity.Core.Migrating;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Spectre.Console;
using Spectre.Console.Cli;

namespace DbIntegrity.Cli;

/// <summary>
/// Builds the <c>dbintegrity</c> command tree and runs it behind the one exception boundary that turns failures into
/// the documented exit codes. Tests call <see cref="RunAsync"/> in-process with their own consoles and environment.
/// </summary>
public static class DbIntegrityApp
{
    public static async Task<int> RunAsync(string[] args, CliContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);

        // Before parsing: a parse error may echo an argument (a connection string given without --db, say).
        context.Redactor.AddFromInvocation(args, context.Environment);
        var services = new ServiceCollection();
        services.AddSingleton(context);
        var app = new CommandApp(new TypeRegistrar(services));
        app.Configure(config =>
        {
            config.SetApplicationName("dbintegrity");
            config.ConfigureConsole(context.Output);
            config.PropagateExceptions();
            config.Settings.StrictParsing = true;
            Commands.CommandTree.Configure(config);
        });

        try
        {
            if (args is ["-v"] or ["--version"])
            {
                args = ["version"];
            }

            // `dbintegrity`, `dbintegrity repair`, `dbintegrity migrate`: the help of what was typed, and one exit code.
            if (Commands.CommandTree.NeedsSubcommand(args))
            {
                await app.RunAsync([.. args, "--help"], cancellationToken);
                WriteError(context, args.Length == 0
                    ? "no command given: pick one of the commands above, e.g. dbintegrity check."
                    : $"dbintegrity {args[0]} needs a command: pick one of those above, e.g. dbintegrity {string.Join(' ', Commands.CommandTree.Example(args[0]))}.");
                return (int)ExitCode.UsageError;
            }

            EmptyArguments.Reject(args);
            return await app.RunAsync(args, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            WriteError(context, "cancelled: nothing was concluded.");
            return (int)ExitCode.Cancelled;
        }
        catch (ConfigurationException ex)
        {
            WriteError(context, ex.Message);
            return (int)ExitCode.UsageError;
        }
        catch (CommandAppException ex)
        {
            var suggestion = ex.Pretty is { } pretty ? Suggestion(ConsoleCapture.Render(context.Diagnostics, c => c.Write(pretty))) : null;
            WriteError(context, ex.Message.TrimEnd('.') + "." + (suggestion is null ? string.Empty : $" Did you mean '{suggestion}'?") + " Run dbintegrity --help for usage.");
            return (int)ExitCode.UsageError;
        }
        catch (NpgsqlException ex)
        {
            WriteError(context, "could not complete (database): " + DatabaseFailures.Describe(ex));
            return (int)ExitCode.Incomplete;
        }
        catch (MigrationFailedException ex)
        {
            WriteError(context, ex.Message);
            return (int)ExitCode.Incomplete;
        }
        catch (UnavailableException ex)
        {
            WriteError(context, $"could not complete ({ex.Service}): {ex.Message}");
            return (int)ExitCode.Incomplete;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            WriteError(context, $"could not complete, unexpected {ex.GetType().Name}: {ex.Message}");
            if (context.Environment.GetBool("DBINTEGRITY_DEBUG", false))
            {
                context.Diagnostics.WriteLine(context.Present(ex.ToString()), new Style(Color.Grey));
            }
            else
            {
                context.Diagnostics.MarkupLine("[grey]This is a bug in dbintegrity; rerun with DBINTEGRITY_DEBUG=1 for the stack trace and report it.[/]");
            }
            return (int)ExitCode.Incomplete;
        }
    }

    // Spectre.Console.Cli computes the nearest command for an unknown one and shows it only in its rendered error.
    private static string? Suggestion(string rendered) =>
        System.Text.RegularExpressions.Regex.Match(rendered, "Did you mean '(?<name>[^']+)'") is { Success: true } match ? match.Groups["name"].Value : null;

    private static void WriteError(CliContext context, string message) =>
        context.Diagnostics.MarkupLineInterpolated($"[red]error:[/] {context.Present(message)}");
}
