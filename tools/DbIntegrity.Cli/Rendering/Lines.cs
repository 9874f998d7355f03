using Spectre.Console;

namespace DbIntegrity.Cli.Rendering;

/// <summary>Plain indented lines: unlike a Padder, nothing is padded to the console width, so no line ends in spaces.</summary>
internal static class Lines
{
    /// <summary>Each line of TEXT, indented by four spaces, optionally in a colour (shown only on a terminal).</summary>
    public static void Indented(IAnsiConsole console, string text, string? colour = null)
    {
        foreach (var line in text.Split('\n'))
        {
            var escaped = Markup.Escape(line.TrimEnd());
            console.MarkupLine(escaped.Length == 0 ? string.Empty : "    " + (colour is null ? escaped : $"[{colour}]{escaped}[/]"));
        }
    }
}
