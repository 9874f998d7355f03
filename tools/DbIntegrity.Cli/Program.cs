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
var context = new CliContext(output, diagnostics, SettingsSource.FromEnvironment());
return await DbIntegrityApp.RunAsync(args, context, cancellation.Token);
