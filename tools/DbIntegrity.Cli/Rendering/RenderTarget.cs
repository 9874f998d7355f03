using Spectre.Console;

namespace DbIntegrity.Cli.Rendering;

/// <summary>Where a report goes (its console's capabilities: colours only on a terminal) and how long it may be.</summary>
internal sealed record RenderTarget(IAnsiConsole Console, bool Verbose);
