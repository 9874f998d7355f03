using Spectre.Console.Cli;

namespace DbIntegrity.Cli.Commands;

/// <summary>Every command of <c>dbintegrity</c>, in one place.</summary>
internal static class CommandTree
{
    public static void Configure(IConfigurator config)
    {
        config.AddCommand<VersionCommand>("version").WithDescription("Print the tool version and the daemon versions its migrations cover.");
    }
}
