using System.ComponentModel;
using System.Text.Json;
using DbIntegrity.Cli.Infrastructure;
using DbIntegrity.Core;
using DbIntegrity.Core.Backup;
using DbIntegrity.Core.Deployments;
using DbIntegrity.Core.Repair;
using Spectre.Console;
using Spectre.Console.Cli;

namespace DbIntegrity.Cli.Commands.Repair;

/// <summary>
/// <c>dbintegrity repair apply PLAN</c>: the only command that changes the daemon's rows and objects. Exit 0 applied or
/// nothing left to do, 1 refused as stale (nothing changed) or partially blocked (rows repaired, some object
/// deletions skipped), 2 usage (no plan, another deployment's plan, damaged plan), 3 could not complete (run it again:
/// it resumes), 130 cancelled.
/// </summary>
internal sealed class RepairApplyCommand(CliContext context) : AsyncCommand<RepairApplyCommand.Settings>
{
    /// <summary>
    /// Test hook: the name of a <see cref="RepairCheckpoints"/> point where apply stops and waits to be killed. It stays
    /// in the command because the crash tests must kill the real, built CLI (SIGKILL, nothing flushed or disposed) at a
    /// known point; a separate test host would test another program. It is honoured only with <see cref="HooksVariable"/>.
    /// </summary>
    public const string PauseVariable = "DBINTEGRITY_TEST_PAUSE_AT";

    /// <summary>
    /// The second, deliberately long variable without which <see cref="PauseVariable"/> is ignored (with a warning):
    /// one stray variable in a production environment must not hang a repair half-way.
    /// </summary>
    public const string HooksVariable = "DBINTEGRITY_TEST_HOOKS_ON_NEVER_IN_PRODUCTION";

    /// <summary>The value <see cref="HooksVariable"/> must have.</summary>
    public const string HooksOn = "yes";

    public override async Task<int> ExecuteAsync(CommandContext commandContext, Settings settings, CancellationToken cancellationToken)
    {
        var pause = PauseHook();
        var plan = await ReadPlanAsync(settings.Plan, cancellationToken);
        var database = settings.ResolveDatabase(context);
        var storage = settings.ResolveStorage(context);
        await using var connection = DeploymentConnection.Open(database, storage, "dbintegrity repair apply");
        var store = connection.Store;
        var actual = RepairTarget.Create(database.Host, database.Port, database.Database, store.Bucket, storage.Layout);
        var options = new RepairApplyOptions
        {
            Backup = BackupLocation.Parse(settings.BackupTo, store),
            LocalBackupDirectory = settings.BackupDirectory,
            Checkpoint = pause,
            // The result lists every fix with its outcome; in table form the log keeps only the other steps, so no fix prints twice.
            Log = settings.Format == OutputFormat.Json ? context.DiagnosticLog() : WithoutFixLines(context.DiagnosticLog(), plan),
        };

        var result = await RepairApplier.ApplyAsync(plan, connection.Deployment, bucket => store.ForBucket(bucket, "--backup-to"), actual, options, cancellationToken);
        if (settings.Format == OutputFormat.Json)
        {
            context.WriteResult(JsonSerializer.Serialize(result, RepairPlanJson.Options));
        }
        else
        {
            context.WriteResult(c => RepairView.WriteApply(c, result));
        }

        return (int)(result.Outcome is RepairOutcome.Applied or RepairOutcome.NothingToDo ? ExitCode.Success : ExitCode.Findings);
    }

    private static LineProgress WithoutFixLines(IProgress<string> log, RepairPlan plan)
    {
        var prefixes = plan.Fixes.Select(f => f.Id + ": ").ToList();
        return new LineProgress(line =>
        {
            if (!prefixes.Any(p => line.StartsWith(p, StringComparison.Ordinal)))
            {
                log.Report(line);
            }
        });
    }

    private static async Task<RepairPlan> ReadPlanAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            return RepairPlanJson.Read(await File.ReadAllTextAsync(path, cancellationToken), path);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new ConfigurationException($"There is no plan file {path}. Make one with: dbintegrity repair plan -o plan.json");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationException($"Cannot read the plan {path}: {ex.Message.TrimEnd('.')}. Make one with: dbintegrity repair plan -o plan.json");
        }
    }

    private Func<string, CancellationToken, Task>? PauseHook()
    {
        if (context.Environment.Get(PauseVariable) is not { } point)
        {
            return null;
        }

        if (context.Environment.Get(HooksVariable) != HooksOn)
        {
            context.Diagnostics.MarkupLineInterpolated(
                $"[yellow]warning: {PauseVariable} is set but ignored: test hooks are off. Unset it; only tests set it, with {HooksVariable}={HooksOn}.[/]");
            return null;
        }

        if (!RepairCheckpoints.All.Contains(point))
        {
            throw new ConfigurationException($"{PauseVariable}={point} names no point of repair apply: use one of {string.Join(", ", RepairCheckpoints.All)}, or unset it.");
        }

        context.Diagnostics.MarkupLineInterpolated(
            $"[red bold]TEST HOOKS ON ({HooksVariable}): this apply stops at {point} and waits to be killed. Never set {PauseVariable} or {HooksVariable} in production.[/]");
        return async (name, cancellationToken) =>
        {
            if (name == point)
            {
                context.Diagnostics.MarkupLineInterpolated($"[yellow]test hook: paused at {name}[/]");
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
        };
    }

    internal sealed class Settings : StorageCommandSettings
    {
        [CommandArgument(0, "<PLAN>")]
        [Description("The plan file written by repair plan -o.")]
        public string Plan { get; init; } = string.Empty;

        [CommandOption("--backup-to <LOCATION>")]
        [Description("Where the backup goes: s3://bucket/prefix, azure://container/prefix, a folder under a local root, or a prefix in the daemon's store (default dbintegrity-backups). A folder repair-<time> is created there.")]
        public string? BackupTo { get; init; }

        [CommandOption("--backup-dir <DIR>")]
        [Description("Also write rows.json, restore.sql, manifest.json and plan.json into DIR/repair-<time>/ (one folder per apply, never overwritten).")]
        public string? BackupDirectory { get; init; }

        [CommandOption("--format <FORMAT>")]
        [Description("table (default) or json.")]
        [DefaultValue(OutputFormat.Table)]
        public OutputFormat Format { get; init; } = OutputFormat.Table;
    }
}
