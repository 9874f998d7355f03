using DbIntegrity.Core.Migrating;
using DbIntegrity.Migrations.Preconditions;

namespace DbIntegrity.Core.Tests.Migrating;

public sealed class PreconditionDeclarationTests
{
    private static IEnumerable<(MigrationDescriptor Migration, MigrationPrecondition Precondition)> All =>
        MigrationCatalog.Default.Migrations.SelectMany(m => m.Preconditions.Select(p => (m, p)));

    [Test]
    public void The_known_failure_modes_of_the_chain_are_declared_on_their_migrations()
    {
        var declared = All.ToDictionary(x => x.Precondition.Id, x => x.Migration.Id);

        Assert.Multiple(() =>
        {
            // docs/daemon/issues.md#issues: dify#38276 (0.5.4 unique index) and PR #533 (0.5.1 unique index).
            Assert.That(declared["plugins-identifier-unique"], Is.EqualTo(50400));
            Assert.That(declared["installations-tenant-plugin-unique"], Is.EqualTo(50100));
            Assert.That(declared["install-task-status-fits"], Is.EqualTo(50401));
            Assert.That(declared["uuid-generate-v4-available"], Is.EqualTo(50201));
            Assert.That(declared["table-absent:trigger_installations"], Is.EqualTo(40000));
            Assert.That(declared["index-absent:idx_plugin_unique_identifier"], Is.EqualTo(50400));
        });
    }

    [Test]
    public void Every_precondition_has_an_id_unique_across_the_chain_a_select_and_a_remedy()
    {
        Assert.That(All.Select(x => x.Precondition.Id), Is.Unique);
        Assert.Multiple(() =>
        {
            foreach (var (migration, precondition) in All)
            {
                Assert.That(precondition.OffendingRowsSql.TrimStart(), Does.StartWith("SELECT"), $"{migration.Id} {precondition.Id}");
                Assert.That(precondition.Description, Is.Not.Empty, precondition.Id);
                Assert.That(precondition.Remedy, Is.Not.Empty, precondition.Id);
            }
        });
    }

    [Test]
    public void Only_the_0_5_2_id_default_migration_guards_its_down()
    {
        var down = MigrationCatalog.Default.Migrations.Where(m => m.PreconditionsFor(MigrationDirection.Down).Any()).Select(m => m.Id);

        Assert.That(down, Is.EqualTo(new[] { 50201L }));
    }
}
