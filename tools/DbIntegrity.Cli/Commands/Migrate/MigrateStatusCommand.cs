using DbIntegrity.Cli.Infrastructure;
using DbIntegrity.Core.Migrating;
using Spectre.Console.Cli;

namespace DbIntegrity.Cli.Commands.Migrate;

/// <summary><c>dbintegrity migrate status</c>: every migration, applied or pending, with its daemon version.</summary>
internal sealed class MigrateStatusCommand(CliContext context) : AsyncCommand<DatabaseCommandSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext commandContext, DatabaseCommandSettings settings, CancellationToken cancellationToken)
    {
        var database = settings.ResolveDatabase(context);
        await using var service = await MigrationService.CreateAsync(database, context.Catalog, cancellationToken);
        var status = await service.StatusAsync(cancellationToken);
        MigrationView.WriteStatus(context.Output, status, database.Describe());
        return (int)ExitCode.Success;
    }
}
