using System.Globalization;
using DbIntegrity.Core.Configuration;
using DbIntegrity.Core.Database;
using DbIntegrity.Core.Wording;
using Npgsql;

namespace DbIntegrity.Core.Migrating;

/// <summary>
/// Status, up, down, preview and baseline of the migration chain against one database. Create it with
/// <see cref="CreateAsync(DatabaseSettings, CancellationToken)"/>, which checks that the database answers. This class plans
/// and reads state; every run is one transaction under an advisory lock (<see cref="LockedRun"/>): it either completes or
/// leaves the database as it was.
/// </summary>
public sealed class MigrationService : IAsyncDisposable
{
    private readonly DatabaseSettings _settings;
    private readonly NpgsqlDataSource _dataSource;
    private readonly LockedRun _runs;

    private MigrationService(DatabaseSettings settings, NpgsqlDataSource dataSource, MigrationCatalog catalog)
    {
        _settings = settings;
        _dataSource = dataSource;
        Catalog = catalog;
        _runs = new LockedRun(settings, catalog);
    }

    public MigrationCatalog Catalog { get; }


    public static Task<MigrationService> CreateAsync(DatabaseSettings settings, CancellationToken cancellationToken) =>
        CreateAsync(settings, MigrationCatalog.Default, cancellationToken);

    /// <summary>A service over <paramref name="catalog"/> instead of the shipped chain (tests add or replace migrations).</summary>
    public static async Task<MigrationService> CreateAsync(DatabaseSettings settings, MigrationCatalog catalog, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(catalog);
        var dataSource = settings.CreateDataSource("dbintegrity-migrate");
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            await dataSource.DisposeAsync();
            throw LockedRun.Unavailable(settings, ex);
        }

        return new MigrationService(settings, dataSource, catalog);
    }

    public async Task<MigrationStatus> StatusAsync(CancellationToken cancellationToken) =>
        StatusOf(await ReadStateAsync(cancellationToken));

    /// <summary>Applies the pending migrations up to <paramref name="target"/> (default: latest) in one transaction.</summary>
    public async Task<MigrationRunResult> UpAsync(string? target, CancellationToken cancellationToken)
    {
        var (status, plan, schemaName) = await PlanAsync(MigrationDirection.Up, target, cancellationToken);
        if (plan.Count == 0)
        {
            return new MigrationRunResult(MigrationDirection.Up, [], status.Current);
        }

        var checksums = await ChecksumsAsync(schemaName, plan, cancellationToken);
        await _runs.RunAsync(schemaName, AppliedIds(status), async host =>
        {
            foreach (var migration in plan)
            {
                cancellationToken.ThrowIfCancellationRequested();
                _runs.Step(migration, MigrationDirection.Up, () => host.Runner.ApplyMigrationUp(host.Migrations[migration.Id], useTransaction: false));
            }

            await MigrationChecksums.RecordAsync(host, checksums, cancellationToken);
            return true;
        }, cancellationToken);
        return new MigrationRunResult(MigrationDirection.Up, plan, (await StatusAsync(cancellationToken)).Current);
    }

    /// <summary>Reverts the applied migrations above <paramref name="target"/> (0: all of them) in one transaction.</summary>
    public async Task<MigrationRunResult> DownAsync(string? target, CancellationToken cancellationToken)
    {
        var (status, plan, schemaName) = await PlanAsync(MigrationDirection.Down, target, cancellationToken);
        var removeVersionTable = status.Migrations.All(m => !m.IsApplied || plan.Contains(m.Migration)) && status.UnknownApplied.Count == 0;
        if (plan.Count == 0)
        {
            return new MigrationRunResult(MigrationDirection.Down, [], status.Current);
        }

        await _runs.RunAsync(schemaName, AppliedIds(status), async host =>
        {
            foreach (var migration in plan)
            {
                cancellationToken.ThrowIfCancellationRequested();
                _runs.Step(migration, MigrationDirection.Down, () => host.Runner.ApplyMigrationDown(host.Migrations[migration.Id], useTransaction: false));
            }

            await MigrationChecksums.ForgetAsync(host, plan.Select(m => m.Id), cancellationToken);

            // Back to nothing: leave no DbIntegrity table behind either.
            if (removeVersionTable)
            {
                await MigrationChecksums.DropAsync(host, cancellationToken);
                host.Runner.VersionLoader.RemoveVersionTable();
            }

            return true;
        }, cancellationToken);
        return new MigrationRunResult(MigrationDirection.Down, plan, (await StatusAsync(cancellationToken)).Current);
    }

    /// <summary>The SQL that <see cref="UpAsync"/> or <see cref="DownAsync"/> would run, migration by migration; runs nothing.</summary>
    public async Task<IReadOnlyList<MigrationScript>> PreviewAsync(MigrationDirection direction, string? target, CancellationToken cancellationToken)
    {
        var (_, plan, schemaName) = await PlanAsync(direction, target, cancellationToken);
        return await Task.Run(() =>
        {
            using var host = MigrationRunnerHost.Create(_settings, schemaName, preview: true, Catalog);
            var instances = host.Migrations;
            host.Sql.Take();
            var scripts = new List<MigrationScript>();
            foreach (var migration in plan)
            {
                var instance = instances[migration.Id].Migration;
                if (direction == MigrationDirection.Up)
                {
                    host.Runner.Up(instance);
                }
                else
                {
                    host.Runner.Down(instance);
                }

                scripts.Add(new MigrationScript(migration, direction, host.Sql.Take()));
            }

            return (IReadOnlyList<MigrationScript>)scripts;
        }, cancellationToken);
    }

    /// <summary>
    /// Adopts a database the daemon made itself: recognises its release and records every upstream migration up to it
    /// as applied, without running them, in one transaction. With drift it records only when <paramref name="acceptDrift"/>.
    /// </summary>
    public async Task<BaselineResult> BaselineAsync(bool acceptDrift, bool record, CancellationToken cancellationToken)
    {
        var state = await ReadStateAsync(cancellationToken);
        var status = StatusOf(state);
        var recognition = status.Versioning switch
        {
            DatabaseVersioning.Versioned => throw new ConfigurationException(
                $"{_settings.Describe()} is already versioned (newest applied migration: {status.Current?.Id.ToString(CultureInfo.InvariantCulture) ?? "unknown"}); "
                + $"baseline is only for a database the daemon made itself. Run {HostWords.Of(NextStep.ShowMigrationStatus)}."),
            DatabaseVersioning.Empty => throw new ConfigurationException(
                $"{_settings.Describe()} has no daemon tables, so there is nothing to adopt. Run {HostWords.Of(NextStep.MigrateUp)} to create the schema."),
            _ => status.Recognition!,
        };
        var migrations = Catalog.Upstream.Where(m => m.DaemonVersion! <= recognition.Version).ToList();
        if (!record || (recognition.HasDrift && !acceptDrift))
        {
            return new BaselineResult(recognition, migrations, Recorded: false);
        }

        await _runs.RunAsync(state.Schema.SchemaName, expectedApplied: null, host =>
        {
            // Under the lock now: another run may have versioned it since it was read.
            if (host.Runner.VersionLoader.VersionInfo.AppliedMigrations().Any())
            {
                throw new ConfigurationException($"{_settings.Describe()} was versioned by another run meanwhile; nothing recorded. Run {HostWords.Of(NextStep.ShowMigrationStatus)}.");
            }

            foreach (var migration in migrations)
            {
                host.Runner.VersionLoader.UpdateVersionInfo(migration.Id, migration.Description + VersionTable.BaselineMark);
            }

            return Task.FromResult(true);
        }, cancellationToken);
        return new BaselineResult(recognition, migrations, Recorded: true);
    }

    /// <summary>
    /// <c>migrate up --gate</c>: applies the pending migrations up to <paramref name="target"/> in one transaction under the
    /// lock, asking <paramref name="hooks"/> before each migration (preconditions) and before committing (the check
    /// inside the transaction). Either hook can veto, and then everything is rolled back. Refuses when the database is
    /// no longer where <paramref name="expectedPlan"/> was computed from.
    /// </summary>
    internal async Task<GatedRunResult> UpGatedAsync(string? target, IReadOnlyList<long> expectedPlan, IGatedRunHooks hooks, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hooks);
        var (status, plan, schemaName) = await PlanAsync(MigrationDirection.Up, target, cancellationToken);
        if (!plan.Select(m => m.Id).SequenceEqual(expectedPlan))
        {
            throw new ConfigurationException(
                $"{_settings.Describe()} changed since the gate evaluated it (another run migrated it meanwhile); nothing was done. Run {HostWords.Of(NextStep.ShowMigrationStatus)}, then the gate again.");
        }

        var checksums = await ChecksumsAsync(schemaName, plan, cancellationToken);
        var executed = new List<MigrationDescriptor>();
        MigrationDescriptor? stoppedAt = null;
        var committed = await _runs.RunAsync(schemaName, AppliedIds(status), async host =>
        {
            var transaction = new RunTransaction(host.NpgsqlConnection, host.NpgsqlTransaction);
            foreach (var migration in plan)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (!await hooks.BeforeEachAsync(migration, transaction, cancellationToken))
                {
                    stoppedAt = migration;
                    return false;
                }

                _runs.Step(migration, MigrationDirection.Up, () => host.Runner.ApplyMigrationUp(host.Migrations[migration.Id], useTransaction: false));
                executed.Add(migration);
            }

            await MigrationChecksums.RecordAsync(host, checksums, cancellationToken);
            return await hooks.BeforeCommitAsync(executed, transaction, cancellationToken);
        }, cancellationToken);
        return new GatedRunResult(executed, committed, stoppedAt, (await StatusAsync(cancellationToken)).Current);
    }

    /// <summary>Where the database stands and the schema its tables are in, read once (the gate plans from it).</summary>
    internal async Task<(MigrationStatus Status, DatabaseSchema Schema)> InspectAsync(CancellationToken cancellationToken)
    {
        var state = await ReadStateAsync(cancellationToken);
        return (StatusOf(state), state.Schema);
    }

    /// <summary>The checksums of <paramref name="migrations"/> as this build generates them (nothing is executed).</summary>
    internal Task<IReadOnlyDictionary<long, MigrationChecksum>> ChecksumsAsync(string schemaName, IEnumerable<MigrationDescriptor> migrations, CancellationToken cancellationToken) =>
        Task.Run(() => MigrationChecksums.Compute(_settings, schemaName, Catalog, migrations), cancellationToken);

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    private async Task<(MigrationStatus Status, IReadOnlyList<MigrationDescriptor> Plan, string SchemaName)> PlanAsync(
        MigrationDirection direction, string? target, CancellationToken cancellationToken)
    {
        var resolved = Catalog.Target(target, direction);
        var state = await ReadStateAsync(cancellationToken);
        var status = StatusOf(state);
        var plan = resolved.Plan(direction, status.Migrations);
        if (direction == MigrationDirection.Down)
        {
            BaselineGuard.EnsureRevertible(plan, status, _settings.Describe());
        }
        else
        {
            BaselineGuard.EnsureVersionedForUp(plan.Count > 0, status, status.Recognition?.Version, _settings.Describe(), NextStep.MigrateUp);
        }

        return (status, plan, state.Schema.SchemaName);
    }

    private MigrationStatus StatusOf(DatabaseState state)
    {
        var states = Catalog.Migrations.Select(m => new MigrationState(m, state.Applied.GetValueOrDefault(m.Id))).ToList();
        var unknown = state.Applied.Values.Where(a => Catalog.Find(a.Id) is null).OrderBy(a => a.Id).ToList();
        var versioning = state.Applied.Count > 0 ? DatabaseVersioning.Versioned
            : SchemaRecognizer.HasDaemonTables(state.Schema) ? DatabaseVersioning.Unversioned
            : DatabaseVersioning.Empty;
        var recognition = versioning == DatabaseVersioning.Unversioned ? SchemaRecognizer.Recognize(state.Schema) : null;
        return new MigrationStatus(versioning, states, unknown, recognition);
    }

    private static HashSet<long> AppliedIds(MigrationStatus status) =>
        [.. status.Migrations.Where(m => m.IsApplied).Select(m => m.Migration.Id), .. status.UnknownApplied.Select(a => a.Id)];

    private async Task<DatabaseState> ReadStateAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
            var schema = await SchemaInspector.InspectAsync(connection, cancellationToken);
            var applied = new Dictionary<long, AppliedMigration>();
            if (schema.HasTable(VersionTable.Name))
            {
                await using var command = new NpgsqlCommand(
                    $"SELECT {VersionTable.VersionColumn}, {VersionTable.AppliedOnColumn}, {VersionTable.DescriptionColumn} FROM {VersionTable.Name}", connection);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    var id = reader.GetInt64(0);
                    applied[id] = new AppliedMigration(id, reader.IsDBNull(1) ? null : reader.GetDateTime(1), reader.IsDBNull(2) ? null : reader.GetString(2));
                }
            }

            return new DatabaseState(schema, applied);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            throw LockedRun.Unavailable(_settings, ex);
        }
    }

    private sealed record DatabaseState(DatabaseSchema Schema, IReadOnlyDictionary<long, AppliedMigration> Applied);
}
