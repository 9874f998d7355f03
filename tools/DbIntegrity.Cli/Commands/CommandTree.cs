using Spectre.Console.Cli;

namespace DbIntegrity.Cli.Commands;

/// <summary>Every command of <c>dbintegrity</c>, in one place.</summary>
internal static class CommandTree
{
    public static void Configure(IConfigurator config)
    {
        config.AddCommand<CheckCommand>("check")
            .WithDescription("Cross-check the plugin tables against the bucket and name every broken reference (read-only).")
            .WithExample("check")
            .WithExample("check", "--format", "json", "--output", "report.json")
            .WithExample("check", "--deep", "--grace", "10m");
        config.AddCommand<VersionCommand>("version").WithDescription("Print the tool version and the daemon versions its migrations cover.");
    }
}
