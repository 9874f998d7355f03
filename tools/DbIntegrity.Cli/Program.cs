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

var output = CreateConsole(Console.Out, Console.IsOutputRedirected);
var diagnostics = CreateConsole(Console.Error, Console.IsErrorRedirected);
var context = new CliContext(output, diagnostics, SettingsSource.FromEnvironment());
return await DbIntegrityApp.RunAsync(args, context, cancellation.Token);


// A terminal gets colours (unless NO_COLOR is set, https://no-color.org) and wraps at its width. Anything else (CI
// logs, pipes, files) gets plain text that is never wrapped or padded: log viewers wrap for themselves, and a key split
// across lines cannot be copied.
static IAnsiConsole CreateConsole(TextWriter writer, bool redirected)
{
    var noColor = !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"));
    var console = AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(writer),
        Ansi = redirected ? AnsiSupport.No : AnsiSupport.Detect,
        ColorSystem = redirected || noColor ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
        Interactive = redirected ? InteractionSupport.No : InteractionSupport.Detect,
    });
    if (redirected)
    {
        console.Profile.Width = ConsoleWidth.NoWrap;
    }

    return console;
}
