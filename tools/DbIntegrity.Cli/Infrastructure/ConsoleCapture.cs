using Spectre.Console;

namespace DbIntegrity.Cli.Infrastructure;

/// <summary>
/// Renders to text with the target console's capabilities and width, so that human-readable reports can go through
/// the secret redactor like the machine formats before anything reaches the terminal.
/// </summary>
internal static class ConsoleCapture
{
    public static string Render(IAnsiConsole target, Action<IAnsiConsole> render)
    {
        using var text = new StringWriter();
        var capture = AnsiConsole.Create(new AnsiConsoleSettings
        {
            // Escape codes only for a real terminal: logs, files and test consoles get plain text.
            Ansi = target.Profile.Capabilities.Ansi && target.Profile.Out.IsTerminal ? AnsiSupport.Yes : AnsiSupport.No,
            ColorSystem = (ColorSystemSupport)target.Profile.Capabilities.ColorSystem,
            Out = new AnsiConsoleOutput(text),
            Interactive = InteractionSupport.No,
        });
        capture.Profile.Width = target.Profile.Out.IsTerminal ? target.Profile.Width : Math.Max(target.Profile.Width, ConsoleWidth.NoWrap);
        render(capture);
        // Off a terminal nothing may end in spaces (a table cell pads its column): logs and -o files stay clean.
        return target.Profile.Out.IsTerminal ? text.ToString() : TrimLineEnds(text.ToString());
    }

    public static string TrimLineEnds(string text) =>
        string.Join('\n', text.Split('\n').Select(line => line.TrimEnd(' ', '\t', '\r')));
}
