using DbIntegrity.Core.Migrating;
using DbIntegrity.Migrations;

namespace DbIntegrity.Core.Tests.Migrating;

public sealed class MigrationCatalogTests
{
    private static MigrationCatalog Catalog => MigrationCatalog.Default;

    [Test]
    public void The_chain_covers_every_schema_changing_release_of_the_reference_in_order()
    {
        Assert.That(Catalog.DaemonVersions.Select(v => v.ToString()), Is.EqualTo(new[] { "0.0.1", "0.0.3", "0.3.0", "0.4.0", "0.5.1", "0.5.2", "0.5.4" }));
        Assert.That(Catalog.Migrations.Select(m => m.Id), Is.Ordered.And.Unique);
    }

    [Test]
    public void Every_upstream_id_encodes_its_daemon_version_and_operator_ids_follow_the_chain()
    {
        Assert.Multiple(() =>
        {
            foreach (var migration in Catalog.Upstream)
            {
                Assert.That(migration.Id - migration.DaemonVersion!.FirstMigrationId, Is.InRange(0, 99), migration.Type.Name);
                Assert.That(migration.Description, Does.StartWith($"daemon {migration.DaemonVersion}:"), migration.Type.Name);
            }

            Assert.That(Catalog.Operator.Select(m => m.Id), Is.Not.Empty.And.All.GreaterThanOrEqualTo(MigrationIds.FirstOperator));
        });
    }

    [Test]
    public void Every_migration_says_what_it_does_to_the_bucket()
    {
        Assert.That(Catalog.Migrations.Select(m => m.Description), Is.All.Contains("Bucket:"));
    }

    [Test]
    public void A_daemon_version_target_applies_the_upstream_chain_only_and_an_id_target_everything_below_it()
    {
        // Given an empty database
        var nothingApplied = Catalog.Migrations.Select(m => new MigrationState(m, null)).ToList();

        // When planning up to a daemon version, and to latest
        var byVersion = Catalog.Target("0.5.2", MigrationDirection.Up).Plan(MigrationDirection.Up, nothingApplied).Select(m => m.Id).ToList();
        var latest = Catalog.Target("latest", MigrationDirection.Up).Plan(MigrationDirection.Up, nothingApplied).Select(m => m.Id).ToList();

        // Then the version target brings the upstream chain to that release and no operator migration; latest brings all
        Assert.Multiple(() =>
        {
            Assert.That(byVersion, Is.EqualTo(Catalog.Upstream.Where(m => m.Id <= 50201).Select(m => m.Id)));
            Assert.That(latest, Is.EqualTo(Catalog.Migrations.Select(m => m.Id)));
        });
    }

    [Test]
    public void A_daemon_version_target_below_the_database_reverts_upstream_migrations_only()
    {
        // Given a database at latest
        var allApplied = Catalog.Migrations.Select(m => new MigrationState(m, new AppliedMigration(m.Id, null, m.Description))).ToList();

        // When planning down to 0.5.2
        var revert = Catalog.Target("0.5.2", MigrationDirection.Down).Plan(MigrationDirection.Down, allApplied).Select(m => m.Id).ToList();

        // Then only the upstream migrations above it are reverted, newest first
        Assert.That(revert, Is.EqualTo(Catalog.Upstream.Where(m => m.Id > 50201).Select(m => m.Id).Reverse()));
    }

    [TestCase(null, MigrationDirection.Up, 1_000_000_000L)]
    [TestCase("latest", MigrationDirection.Up, 1_000_000_000L)]
    [TestCase("LATEST", MigrationDirection.Down, 1_000_000_000L)]
    [TestCase("0.5.2", MigrationDirection.Up, 50201L)]
    [TestCase("0.5.3", MigrationDirection.Up, 50201L)]
    [TestCase("0.6.10", MigrationDirection.Up, 50401L)]
    [TestCase("0.0.2", MigrationDirection.Down, 100L)]
    [TestCase("30000", MigrationDirection.Up, 30000L)]
    [TestCase("1000000000", MigrationDirection.Down, 1_000_000_000L)]
    [TestCase("0", MigrationDirection.Down, 0L)]
    public void A_target_resolves_to_a_migration_id(string? target, MigrationDirection direction, long expected)
    {
        Assert.That(Catalog.ResolveTarget(target, direction), Is.EqualTo(expected));
    }

    [TestCase("0", MigrationDirection.Up, "down only")]
    [TestCase(null, MigrationDirection.Down, "needs {option:MigrationTarget}")]
    [TestCase("0.0.0", MigrationDirection.Up, "no migration mirrors daemon 0.0.0")]
    [TestCase("0.0.0", MigrationDirection.Down, "use 0 to revert everything")]
    [TestCase("12345", MigrationDirection.Up, "no migration has this id")]
    [TestCase("0.5", MigrationDirection.Up, "not a daemon version")]
    [TestCase("newest", MigrationDirection.Up, "no migration has this id")]
    public void An_invalid_target_is_a_configuration_error_listing_the_valid_ones(string? target, MigrationDirection direction, string reason)
    {
        var ex = Assert.Throws<ConfigurationException>(() => Catalog.ResolveTarget(target, direction));

        Assert.That(ex!.Message, Does.Contain(reason).And.Contain("latest").And.Contain("0.5.4").And.Contain("50401").And.Contain("1000000000"));
    }

    [Test]
    public void A_catalog_can_replace_a_migration_by_id_or_add_types_and_refuses_a_duplicate_id()
    {
        var replaced = Catalog.Replacing(typeof(Edited50401));

        Assert.Multiple(() =>
        {
            Assert.That(replaced.Find(50401)!.Type, Is.EqualTo(typeof(Edited50401)));
            Assert.That(replaced.Migrations, Has.Count.EqualTo(Catalog.Migrations.Count));
            Assert.Throws<InvalidOperationException>(() => Catalog.With(typeof(Edited50401)));
        });
    }

    [FluentMigrator.Migration(50401, "daemon 0.5.4: an edited copy. Bucket: untouched.")]
    [DaemonVersion("0.5.4")]
    public sealed class Edited50401 : FluentMigrator.Migration
    {
        public override void Up() => Execute.Sql("SELECT 1");

        public override void Down() => Execute.Sql("SELECT 1");
    }
}
