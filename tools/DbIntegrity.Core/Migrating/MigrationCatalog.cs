using System.Globalization;
using System.Reflection;
using DbIntegrity.Core.Wording;
using DbIntegrity.Migrations;
using DbIntegrity.Migrations.Preconditions;
using FluentMigrator;

namespace DbIntegrity.Core.Migrating;

/// <summary>
/// Every migration of the chain, read once by reflection from the migrations assembly, in id order; and the
/// resolution of a user's target (<c>latest</c>, <c>0</c>, a daemon version, a migration id) to a migration id.
/// </summary>
public sealed class MigrationCatalog
{
    private static readonly Lazy<MigrationCatalog> DefaultCatalog =
        new(() => FromAssembly(typeof(DaemonVersionAttribute).Assembly));

    private MigrationCatalog(IReadOnlyList<MigrationDescriptor> migrations)
    {
        Migrations = migrations;
    }

    /// <summary>The chain shipped with this build.</summary>
    public static MigrationCatalog Default => DefaultCatalog.Value;

    /// <summary>All migrations, by id.</summary>
    public IReadOnlyList<MigrationDescriptor> Migrations { get; }

    public IEnumerable<MigrationDescriptor> Upstream => Migrations.Where(m => !m.IsOperator);

    public IEnumerable<MigrationDescriptor> Operator => Migrations.Where(m => m.IsOperator);

    /// <summary>The daemon releases that changed the schema, oldest first.</summary>
    public IReadOnlyList<DaemonVersion> DaemonVersions => Upstream.Select(m => m.DaemonVersion!).Distinct().ToList();

    public MigrationDescriptor? Find(long id) => Migrations.FirstOrDefault(m => m.Id == id);

    /// <summary>The last upstream migration whose daemon version is at most <paramref name="version"/>, if any.</summary>
    public MigrationDescriptor? LastUpstreamAtOrBefore(DaemonVersion version) =>
        Upstream.LastOrDefault(m => m.DaemonVersion! <= version);

    /// <summary>Builds the catalog from the <c>[Migration]</c> types of an assembly and checks the numbering rules.</summary>
    public static MigrationCatalog FromAssembly(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        return FromTypes(assembly.GetTypes());
    }

    /// <summary>
    /// Builds a catalog from exactly these types (those without <c>[Migration]</c> are ignored), e.g. the shipped chain
    /// plus a test's own migrations. The runner host runs exactly the catalog's types.
    /// </summary>
    public static MigrationCatalog FromTypes(IEnumerable<Type> types)
    {
        ArgumentNullException.ThrowIfNull(types);
        var migrations = new List<MigrationDescriptor>();
        foreach (var type in types.Distinct().Where(t => t.GetCustomAttribute<MigrationAttribute>() is not null))
        {
            var migration = type.GetCustomAttribute<MigrationAttribute>()!;
            var daemon = type.GetCustomAttribute<DaemonVersionAttribute>();
            var isOperator = type.GetCustomAttribute<OperatorMigrationAttribute>() is not null;
            var descriptor = new MigrationDescriptor(
                migration.Version, migration.Description ?? type.Name, daemon is null ? null : DaemonVersion.Parse(daemon.Version), type)
            {
                Preconditions = ReadPreconditions(type),
            };
            Validate(descriptor, isOperator);
            migrations.Add(descriptor);
        }

        var duplicate = migrations.GroupBy(m => m.Id).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException($"Migration id {duplicate.Key} is used by {string.Join(" and ", duplicate.Select(m => m.Type.Name))}.");
        }

        var sharedPrecondition = migrations.SelectMany(m => m.Preconditions.Select(p => (Migration: m, p.Id))).GroupBy(x => x.Id).FirstOrDefault(g => g.Count() > 1);
        if (sharedPrecondition is not null)
        {
            throw new InvalidOperationException(
                $"Precondition id {sharedPrecondition.Key} is declared by {string.Join(" and ", sharedPrecondition.Select(x => x.Migration.Type.Name))}; ids must be unique across the chain.");
        }

        return new MigrationCatalog(migrations.OrderBy(m => m.Id).ToList());
    }

    /// <summary>This catalog plus more migration types (tests add their own operator migrations this way).</summary>
    public MigrationCatalog With(params Type[] types) => FromTypes(Migrations.Select(m => m.Type).Concat(types));

    /// <summary>This catalog with its migration of the same id replaced by <paramref name="type"/> (tests edit a migration this way).</summary>
    public MigrationCatalog Replacing(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        var id = type.GetCustomAttribute<MigrationAttribute>()?.Version ?? throw new ArgumentException($"{type.Name} has no [Migration].", nameof(type));
        return FromTypes(Migrations.Where(m => m.Id != id).Select(m => m.Type).Append(type));
    }

    /// <summary>
    /// Turns a user's target into a migration id. Up accepts <c>latest</c>, a daemon version (the last upstream
    /// migration of that release or before it) or a migration id; down also accepts <c>0</c> (revert everything).
    /// Anything else is a <see cref="ConfigurationException"/> that lists the valid values.
    /// </summary>
    public long ResolveTarget(string? target, MigrationDirection direction) => Target(target, direction).Id;

    /// <summary>
    /// <see cref="ResolveTarget"/> plus what the target addresses: a daemon version moves the upstream chain only
    /// (see <see cref="MigrationTarget"/>).
    /// </summary>
    public MigrationTarget Target(string? target, MigrationDirection direction)
    {
        var id = Resolve(target, direction);
        return new MigrationTarget(id, UpstreamOnly: target?.Contains('.', StringComparison.Ordinal) == true);
    }

    private long Resolve(string? target, MigrationDirection direction)
    {
        var text = target?.Trim();
        if (string.IsNullOrEmpty(text) || text.Equals("latest", StringComparison.OrdinalIgnoreCase))
        {
            return direction == MigrationDirection.Up || !string.IsNullOrEmpty(text)
                ? Migrations[^1].Id
                : throw Invalid(target, direction, $"reverting needs {HostWords.Of(UserOption.MigrationTarget)}");
        }

        if (text == "0")
        {
            return direction == MigrationDirection.Down ? 0 : throw Invalid(target, direction, "0 is a target for migrate down only");
        }

        if (text.Contains('.', StringComparison.Ordinal))
        {
            if (!DaemonVersion.TryParse(text, out var version))
            {
                throw Invalid(target, direction, "not a daemon version");
            }

            if (version > NewestKnownRelease)
            {
                throw Invalid(target, direction,
                    $"newer than the newest daemon release dbintegrity knows, {NewestKnownRelease}, so its schema is unknown; {HostWords.Of(UserOption.MigrationTarget)} latest is the schema up to {NewestKnownRelease}, "
                    + "and a newer dbintegrity may know that release");
            }

            var last = LastUpstreamAtOrBefore(version);
            if (last is not null)
            {
                return last.Id;
            }

            return direction == MigrationDirection.Down
                ? throw Invalid(target, direction, $"no migration mirrors daemon {version} or older; use 0 to revert everything")
                : throw Invalid(target, direction, $"no migration mirrors daemon {version} or older");
        }

        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && Find(id) is not null)
        {
            return id;
        }

        throw Invalid(target, direction, "no migration has this id");
    }

    /// <summary>
    /// The newest daemon release whose schema this chain was checked against (tag 0.6.10; see docs/daemon/database.md#schema-history).
    /// A later version could have changed the schema, so it is not a target.
    /// </summary>
    public static DaemonVersion NewestKnownRelease { get; } = DaemonVersion.Parse("0.6.10");

    private ConfigurationException Invalid(string? target, MigrationDirection direction, string reason)
    {
        var ids = string.Join(", ", Migrations.Select(m => m.Id.ToString(CultureInfo.InvariantCulture)));
        var versions = string.Join(", ", DaemonVersions);
        var zero = direction == MigrationDirection.Down ? "0 (revert everything), " : string.Empty;
        return new ConfigurationException(
            $"{HostWords.Of(UserOption.MigrationTarget)} \"{target}\" is not a valid target ({reason}). Valid targets: latest, {zero}a daemon version (the releases that changed the schema are {versions}; "
            + $"a later release means the last of these before it), or a migration id: {ids}. Run {HostWords.Of(NextStep.ShowMigrationStatus)} to see them.");
    }

    private static IReadOnlyList<MigrationPrecondition> ReadPreconditions(Type type)
    {
        if (!typeof(IHasPreconditions).IsAssignableFrom(type))
        {
            return [];
        }

        // Migrations have a parameterless constructor (FluentMigrator creates them the same way) and declare their
        // preconditions as data, so an instance costs nothing.
        var preconditions = ((IHasPreconditions)Activator.CreateInstance(type)!).Preconditions;
        foreach (var precondition in preconditions)
        {
            if (string.IsNullOrWhiteSpace(precondition.Id) || string.IsNullOrWhiteSpace(precondition.OffendingRowsSql) || string.IsNullOrWhiteSpace(precondition.Remedy))
            {
                throw new InvalidOperationException($"A precondition of {type.Name} lacks an id, its SQL or its remedy.");
            }
        }

        return preconditions;
    }

    private static void Validate(MigrationDescriptor migration, bool isOperator)
    {
        var name = migration.Type.Name;
        if (isOperator == migration.DaemonVersion is not null)
        {
            throw new InvalidOperationException($"Migration {name} needs exactly one of [DaemonVersion] and [OperatorMigration].");
        }

        if (isOperator && migration.Id < MigrationIds.FirstOperator)
        {
            throw new InvalidOperationException($"Operator migration {name} has id {migration.Id}; operator ids start at {MigrationIds.FirstOperator}.");
        }

        if (migration.DaemonVersion is { } version && migration.Id / 100 != version.FirstMigrationId / 100)
        {
            throw new InvalidOperationException(
                $"Migration {name} mirrors daemon {version}, so its id must be {version.FirstMigrationId} plus a sequence below 100, not {migration.Id}.");
        }
    }
}
