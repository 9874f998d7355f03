using System.Reflection;
using DbIntegrity.Cli.Infrastructure;
using DbIntegrity.Core.Migrating;
using Spectre.Console;
using Spectre.Console.Cli;

namespace DbIntegrity.Cli.Commands;

internal sealed class VersionCommand(CliContext context) : Command
{
    public override int Execute(CommandContext commandContext, CancellationToken cancellationToken)
    {
        var version = typeof(VersionCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
        context.Output.WriteLine($"dbintegrity {version}");
        var versions = MigrationCatalog.Default.DaemonVersions;
        context.Output.WriteLine($"migrations mirror the daemon schema of releases {string.Join(", ", versions)} (unchanged since {versions[^1]})");
        return (int)ExitCode.Success;
    }
}
