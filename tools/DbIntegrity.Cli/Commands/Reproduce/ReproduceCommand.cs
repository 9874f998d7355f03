using System.ComponentModel;
using DbIntegrity.Cli.Infrastructure;
using DbIntegrity.Core.Configuration;
using DbIntegrity.Core.Storage;
using DbIntegrity.Simulator.Reproduction;
using Spectre.Console;
using Spectre.Console.Cli;

namespace DbIntegrity.Cli.Commands.Reproduce;

/// <summary>
/// <c>dbintegrity reproduce &lt;scenario&gt;</c>: seeds a scenario into the configured database and bucket. The one
/// command that writes a deployment on purpose, for laptops, CI and demo stacks; it refuses a non-empty deployment.
/// </summary>
internal sealed class ReproduceCommand(CliContext context) : AsyncCommand<ReproduceCommand.Settings>
{
    public override async Task<int> ExecuteAsync(CommandContext commandContext, Settings settings, CancellationToken cancellationToken)
    {
        if (settings.List)
        {
            ScenarioView.WriteList(context.Output, ScenarioCatalog.All);
            return (int)ExitCode.Success;
        }

        var scenario = ScenarioCatalog.Find(settings.Scenario!);
        var database = settings.ResolveDatabase(context);
        var storage = settings.ResolveStorage(context);
        using var store = ObjectStoreFactory.Open(storage);
        await using var reproducer = await Reproducer.CreateAsync(database, store, storage.Layout, cancellationToken);

        // Local storage is a volume the working folders share (Dify's compose): lay those out too.
        var options = new ReproductionOptions
        {
            Force = settings.Force,
            WipeAdopted = settings.WipeAdopted,
            SkipIfNotEmpty = settings.IfEmpty,
            ComposeVolume = storage.Kind == StorageKind.Local,
        };
        var progress = context.DiagnosticLog();
        var result = await reproducer.RunAsync(scenario, options, progress, cancellationToken);
        ScenarioView.WriteResult(context.Output, result, database.Describe(), storage.Describe());
        return (int)ExitCode.Success;
    }

    internal sealed class Settings : StorageCommandSettings
    {
        [CommandArgument(0, "[SCENARIO]")]
        [Description("The scenario to seed (see --list).")]
        public string? Scenario { get; init; }

        [CommandOption("--list")]
        [Description("Describe every scenario and the findings it must produce; writes nothing.")]
        public bool List { get; init; }

        [CommandOption("--force")]
        [Description("Seed even if the deployment is not empty: first empties the daemon's tables and deletes every object under the daemon's prefixes (plugin/, plugin_packages/, assets/, persistence/). Nothing else.")]
        public bool Force { get; init; }

        [CommandOption("--wipe-adopted")]
        [Description("With --force: wipe even a deployment that looks real (a migration recorded by migrate baseline, or gate runs in dbintegrity_check_runs). Refused without it.")]
        public bool WipeAdopted { get; init; }

        [CommandOption("--if-empty")]
        [Description("If the deployment is not empty, leave it as it is and exit 0 (for one-shot containers that may run twice).")]
        public bool IfEmpty { get; init; }

        public override ValidationResult Validate() => this switch
        {
            { List: true, Scenario: not null } => ValidationResult.Error("Give a scenario or --list, not both."),
            { List: false, Scenario: null } => ValidationResult.Error("Name a scenario to seed, or pass --list to see them."),
            { Force: true, IfEmpty: true } => ValidationResult.Error("--force and --if-empty contradict each other: choose one."),
            { WipeAdopted: true, Force: false } => ValidationResult.Error("--wipe-adopted only widens --force: pass both, or neither."),
            _ => ValidationResult.Success(),
        };
    }
}
