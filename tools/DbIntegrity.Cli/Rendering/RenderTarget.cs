using Spectre.Console;

namespace DbIntegrity.Cli.Rendering;

/// <summary>Where a report goes (its console's capabilities: colours only on a terminal) and how long it may be.</summary>
internal sealed record RenderTarget(IAnsiConsole Console, bool Verbose)
{
    /// <summary>The last complete scan's time carried over from the file a metrics report replaces (prometheus only).</summary>
    public DateTimeOffset? LastComplete { get; init; }
}
