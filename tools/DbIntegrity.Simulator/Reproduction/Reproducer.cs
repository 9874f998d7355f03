using System.Globalization;
using DbIntegrity.Core;
using DbIntegrity.Core.Configuration;
using DbIntegrity.Core.Deployments;
using DbIntegrity.Core.Gate;
using DbIntegrity.Core.Migrating;
using DbIntegrity.Core.Storage;
using DbIntegrity.Migrations.Operator;
using DbIntegrity.Simulator.Seeding;

namespace DbIntegrity.Simulator.Reproduction;

/// <summary>
/// Seeds a scenario into a database and bucket: refuses a deployment that is not empty (or wipes the daemon's footprint
/// with <see cref="ReproductionOptions.Force"/>), migrates the schema to the scenario's target, then lets the scenario
/// seed through <see cref="DeploymentSeeder"/>. This writes; a check never does.
/// </summary>
public sealed class Reproducer : IAsyncDisposable
{
    private readonly MigrationService _migrations;
    private readonly Deployment _deployment;
    private readonly string _target;

    private Reproducer(MigrationService migrations, Deployment deployment, string target)
    {
        _migrations = migrations;
        _deployment = deployment;
        _target = target;
        Footprint = new DaemonFootprint(deployment.Reader);
    }

    /// <summary>What <see cref="ReproductionOptions.Force"/> wipes.</summary>
    public DaemonFootprint Footprint { get; }

    /// <summary>Checks that the database answers.</summary>
    /// <param name="database">The database to seed.</param>
    /// <param name="store">The bucket: listed (to see whether it is empty, and what to wipe), written and wiped.</param>
    /// <param name="layout">The daemon's prefixes.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    public static async Task<Reproducer> CreateAsync(DatabaseSettings database, IObjectStore store, StorageLayout layout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(layout);
        var migrations = await MigrationService.CreateAsync(database, cancellationToken);
        return new Reproducer(migrations, new Deployment(database.CreateDataSource("dbintegrity reproduce"), store, layout), database.Describe());
    }

    public async Task<ReproductionResult> RunAsync(IReproductionScenario scenario, ReproductionOptions options, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Force && options.SkipIfNotEmpty)
        {
            throw new ConfigurationException("--force and --if-empty contradict each other: choose one.");
        }

        // Everything that can refuse is checked before anything is written.
        var status = await _migrations.StatusAsync(cancellationToken);
        EnsureSchemaCanReach(scenario, status);
        progress?.Report("looking for existing daemon rows and objects");
        var found = await Footprint.InspectAsync(cancellationToken);
        WipeResult? wiped = null;
        if (!found.IsEmpty)
        {
            if (options.SkipIfNotEmpty)
            {
                return new ReproductionResult(scenario, found, Wiped: null, Migration: null, Outcome: null);
            }

            if (!options.Force)
            {
                throw new ConfigurationException(
                    $"{_target} and its bucket are not empty: {found.Describe()}. reproduce seeds only an empty deployment. To replace what is there, "
                    + $"pass --force: it empties the daemon's tables and deletes every object under {string.Join(", ", Footprint.Prefixes)}, and nothing else. "
                    + "Never point reproduce at a real deployment.");
            }

            if (!options.WipeAdopted && await AdoptionSignsAsync(status, cancellationToken) is { Count: > 0 } signs)
            {
                throw new ConfigurationException(
                    $"{_target} looks like a real deployment: {string.Join("; ", signs)}. reproduce --force would empty every daemon table and delete every "
                    + $"object under {string.Join(", ", Footprint.Prefixes)}. Nothing was changed. If this really is a throwaway copy, add --wipe-adopted as well.");
            }

            progress?.Report($"--force: wiping the daemon's footprint ({found.Describe()})");
            wiped = await Footprint.WipeAsync(_deployment.Store, cancellationToken);
        }

        progress?.Report($"migrating the schema to {scenario.SchemaTarget}");
        var migration = await _migrations.UpAsync(scenario.SchemaTarget, cancellationToken);

        progress?.Report($"seeding {scenario.Name}");
        var seeder = await DeploymentSeeder.CreateAsync(_deployment, cancellationToken);
        var outcome = await scenario.SeedAsync(seeder, _deployment.Store, cancellationToken);
        ComposeVolumeContents? volume = null;
        if (options.ComposeVolume)
        {
            progress?.Report($"laying out the working folders ({ComposeVolume.WorkingFolder}/) and KV entries ({_deployment.Layout.PersistencePath}/) of a compose volume");
            volume = await ComposeVolume.LayOutAsync(outcome.Deployment, _deployment.Store, _deployment.Layout, cancellationToken);
        }

        return new ReproductionResult(scenario, found, wiped, migration, outcome, volume);
    }

    public async ValueTask DisposeAsync()
    {
        await _migrations.DisposeAsync();
        await _deployment.Database.DisposeAsync();
    }

    // A database joins the chain through `migrate baseline` when it was made by the daemon, i.e. in production; and
    // the gate records runs where someone gates real migrations. Either means --force would wipe real data.
    private async Task<List<string>> AdoptionSignsAsync(MigrationStatus status, CancellationToken cancellationToken)
    {
        var signs = new List<string>();
        var baselined = status.Migrations.Select(m => m.Applied).Concat(status.UnknownApplied).OfType<AppliedMigration>().Where(a => a.IsBaseline).ToList();
        if (baselined.Count > 0)
        {
            signs.Add($"migration {string.Join(", ", baselined.Select(a => a.Id.ToString(CultureInfo.InvariantCulture)))} was recorded by migrate baseline (an adopted daemon database)");
        }

        if (status.Migrations.Any(m => m.IsApplied && m.Migration.Type == typeof(M1000000000_CheckRuns)))
        {
            await using var count = _deployment.Database.CreateCommand($"SELECT count(*) FROM {CheckRunRecorder.Table}");
            if (await count.ExecuteScalarAsync(cancellationToken) is long runs and > 0)
            {
                signs.Add($"{CheckRunRecorder.Table} records {runs.ToString(CultureInfo.InvariantCulture)} gate run(s)");
            }
        }

        return signs;
    }

    private void EnsureSchemaCanReach(IReproductionScenario scenario, MigrationStatus status)
    {
        if (status.Versioning == DatabaseVersioning.Unversioned)
        {
            throw new ConfigurationException(
                $"{_target} has daemon tables that the daemon made itself (no migration history), so it is somebody's deployment. "
                + "reproduce seeds only databases it can migrate: use an empty database.");
        }

        // The target plans like migrate down --to would: a daemon version addresses the upstream chain only, so
        // DbIntegrity's own migrations above it are not "ahead" (they add no constraint on daemon tables).
        var resolved = _migrations.Catalog.Target(scenario.SchemaTarget, MigrationDirection.Up);
        var target = resolved.Id;
        if (resolved.Plan(MigrationDirection.Down, status.Migrations) is [var current, ..])
        {
            throw new ConfigurationException(
                $"{scenario.Name} needs the schema of daemon {scenario.SchemaTarget} (migration {target.ToString(CultureInfo.InvariantCulture)}), but {_target} is already at "
                + $"migration {current.Id.ToString(CultureInfo.InvariantCulture)} ({current.Origin}), whose constraints forbid the state it reproduces. "
                + "Use an empty database, or revert it first with dbintegrity migrate down --to " + scenario.SchemaTarget + " (that drops what newer migrations added).");
        }
    }
}
