namespace DbIntegrity.Cli.Infrastructure;

/// <summary>Console widths: a terminal wraps at its own width; logs, pipes and files are never wrapped.</summary>
internal static class ConsoleWidth
{
    /// <summary>
    /// The width used when stdout or stderr is not a terminal: wide enough that no line is ever wrapped (CI log viewers
    /// wrap for themselves), and nothing is padded to it because no view pads.
    /// </summary>
    public const int NoWrap = 1_000_000;
}
