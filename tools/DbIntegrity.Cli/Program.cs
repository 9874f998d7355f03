using System.Runtime.InteropServices;
using DbIntegrity.Cli;
using DbIntegrity.Cli.Infrastructure;
using DbIntegrity.Core.Configuration;
using Spectre.Console;

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal =>
{
    signal.Cancel = true;
    cancellation.Cancel();
});

var output = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) });
var diagnostics = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
// Redirected output (CI logs, `| tee`) has no terminal width; Spectre would wrap tables at 80 columns and split
// object keys across lines. Logs are read in wide viewers, so use $COLUMNS or a wide default there.
if (Console.IsOutputRedirected)
{
    output.Profile.Width = RedirectedWidth();
}

if (Console.IsErrorRedirected)
{
    diagnostics.Profile.Width = RedirectedWidth();
}

var context = new CliContext(output, diagnostics, SettingsSource.FromEnvironment());
return await DbIntegrityApp.RunAsync(args, context, cancellation.Token);


static int RedirectedWidth() =>
    int.TryParse(Environment.GetEnvironmentVariable("COLUMNS"), out var columns) && columns >= 40 ? columns : 160;
