using System.Reflection;
using DbIntegrity.Cli.Infrastructure;
using Spectre.Console;
using Spectre.Console.Cli;

namespace DbIntegrity.Cli.Commands;

internal sealed class VersionCommand(CliContext context) : Command
{
    public override int Execute(CommandContext commandContext, CancellationToken cancellationToken)
    {
        var version = typeof(VersionCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
        context.Output.WriteLine($"dbintegrity {version}");
        return (int)ExitCode.Success;
    }
}
