using DbIntegrity.Core.Gate;
using DbIntegrity.Core.Migrating;
using DbIntegrity.Core.Tests.Gate.TestMigrations;

namespace DbIntegrity.Core.Tests.Gate;

public sealed class AppliedMigrationValidatorTests
{
    private static readonly MigrationCatalog Catalog = MigrationCatalog.Default;
    private static readonly DateTime AppliedOn = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    [Test]
    public void A_migration_whose_generated_sql_changed_since_it_was_applied_fails_and_says_what_to_do()
    {
        var status = Status(Catalog.Migrations.Select(m => m.Id).ToArray());
        var stored = new Dictionary<long, StoredChecksum> { [50400] = new(50400, new MigrationChecksum(new string('a', 64), 1), DateTimeOffset.UnixEpoch, "1.0.0") };
        var current = Catalog.Migrations.ToDictionary(m => m.Id, _ => new MigrationChecksum(new string('b', 64), 1));

        var checks = AppliedMigrationValidator.Validate(status, stored, current);

        var edited = checks.Single(c => c.MigrationId == 50400);
        Assert.Multiple(() =>
        {
            Assert.That(edited.Status, Is.EqualTo(MigrationCheckStatus.Failed));
            Assert.That(edited.Message, Does.Contain("edited after it was applied").And.Contain("new migration"));
            Assert.That(checks.Where(c => c.MigrationId is not null and not 50400).Select(c => c.Status), Is.All.EqualTo(MigrationCheckStatus.Skipped));
            Assert.That(checks.Single(c => c.Name == AppliedMigrationValidator.KnownName).Status, Is.EqualTo(MigrationCheckStatus.Passed));
        });
    }

    [Test]
    public void A_pending_migration_below_an_applied_one_is_out_of_order()
    {
        var status = Status(100, 300, 30001);

        var checks = AppliedMigrationValidator.Validate(status, stored: null, new Dictionary<long, MigrationChecksum>());

        var order = checks.Single(c => c.Name == AppliedMigrationValidator.InOrderName);
        Assert.That(order.Status, Is.EqualTo(MigrationCheckStatus.Failed));
        Assert.That(order.Message, Does.Contain("30000 are pending but 30001 is already applied"));
    }

    [Test]
    public void A_new_upstream_migration_is_in_order_although_operator_migrations_with_higher_ids_are_applied()
    {
        // Given every migration of today's chain applied, and a build that adds the next daemon release's migration.
        var catalog = Catalog.With(typeof(M0060000_NextDaemonRelease));
        var status = Status(catalog, Catalog.Migrations.Select(m => m.Id).ToArray());

        var checks = AppliedMigrationValidator.Validate(status, stored: null, new Dictionary<long, MigrationChecksum>());

        // Then upstream and operator ids are ordered each in their own range: 60000 follows 50401, not 1000000000.
        Assert.That(checks.Single(c => c.Name == AppliedMigrationValidator.InOrderName).Status, Is.EqualTo(MigrationCheckStatus.Passed));
    }

    [Test]
    public void A_pending_upstream_migration_below_an_applied_upstream_one_is_out_of_order_and_the_advice_stays_in_its_range()
    {
        var catalog = Catalog.With(typeof(M0060000_NextDaemonRelease));
        var status = Status(catalog, [.. catalog.Migrations.Select(m => m.Id).Where(id => id != 50401)]);

        var checks = AppliedMigrationValidator.Validate(status, stored: null, new Dictionary<long, MigrationChecksum>());

        var order = checks.Single(c => c.Name == AppliedMigrationValidator.InOrderName);
        Assert.That(order.Status, Is.EqualTo(MigrationCheckStatus.Failed));
        Assert.That(order.Message, Does.Contain("50401 are pending but 60000 is already applied").And.Contain("above 60000").And.Not.Contain("1000000000"));
    }

    [Test]
    public void Without_a_checksum_table_nothing_is_compared_and_nothing_fails()
    {
        var checks = AppliedMigrationValidator.Validate(Status(100, 300), stored: null, new Dictionary<long, MigrationChecksum>());

        Assert.That(checks.Select(c => c.Status), Has.None.EqualTo(MigrationCheckStatus.Failed));
        Assert.That(checks.Where(c => c.MigrationId is not null).Select(c => c.Message), Is.All.Contains("dbintegrity_migration_checksums"));
    }

    private static MigrationStatus Status(params long[] applied) => Status(Catalog, applied);

    private static MigrationStatus Status(MigrationCatalog catalog, long[] applied) => new(
        DatabaseVersioning.Versioned,
        catalog.Migrations.Select(m => new MigrationState(m, applied.Contains(m.Id) ? new AppliedMigration(m.Id, AppliedOn, m.Description) : null)).ToList(),
        [],
        null);
}
