using DbIntegrity.Core.Migrating;
using DbIntegrity.IntegrationTests.Infrastructure;

namespace DbIntegrity.IntegrationTests.Migrating;

[Category("Integration")]
[Parallelizable(ParallelScope.Children)]
public sealed class MigrationServiceTests
{
    [Test]
    public async Task A_failing_migration_names_itself_and_rolls_the_whole_run_back()
    {
        // Given a 0.4.0 database with a plugin installed twice for one tenant, which the 0.5.1 unique index forbids.
        await using var database = await TestDatabase.CreateAsync();
        await using var service = await MigrationCases.ServiceAsync(database);
        await service.UpAsync("0.4.0", CancellationToken.None);
        await database.ExecuteAsync("""
            INSERT INTO plugin_installations (tenant_id, plugin_id, plugin_unique_identifier, runtime_type, source, meta)
            SELECT '5d0a6c3e-8f1b-4e2a-9c7d-1b2a3c4d5e6f', 'langgenius/openai', 'langgenius/openai:0.2.' || n || '@abc', 'local', 'marketplace', '{}'
            FROM generate_series(1, 2) n
            """);

        // When migrating to the latest release.
        var ex = Assert.ThrowsAsync<MigrationFailedException>(() => service.UpAsync("latest", CancellationToken.None));

        // Then the error names migration 50100, its daemon version and PostgreSQL's message, and nothing was applied.
        Assert.That(ex!.Migration.Id, Is.EqualTo(50100));
        Assert.That(ex.Message, Does.Contain("50100").And.Contain("daemon 0.5.1").And.Contain("23505").And.Contain("idx_tenant_plugin"));
        var status = await service.StatusAsync(CancellationToken.None);
        Assert.That(status.Current?.Id, Is.EqualTo(40001));
        Assert.That((await MigrationCases.InspectAsync(database)).Index("idx_tenant_plugin"), Is.Null);
    }

    [Test]
    public async Task Reverting_0_0_3_restores_the_declarations_rows_written_since_left_empty()
    {
        // Given a 0.0.3 database holding rows written the 0.0.3 way: declaration NULL, plugins.remote_declaration set.
        await using var database = await TestDatabase.CreateAsync();
        await using var service = await MigrationCases.ServiceAsync(database);
        await service.UpAsync("0.0.3", CancellationToken.None);
        await database.ExecuteAsync("""
            INSERT INTO plugins (plugin_unique_identifier, plugin_id, install_type, remote_declaration)
            VALUES ('langgenius/debug:1.0.0@ab12', 'langgenius/debug', 'remote', '{"name":"debug"}');
            INSERT INTO tool_installations (tenant_id, provider, plugin_unique_identifier, plugin_id)
            VALUES (gen_random_uuid(), 'debug', 'langgenius/debug:1.0.0@ab12', 'langgenius/debug');
            """);

        // When 0.0.3 is reverted.
        await service.DownAsync("0.0.1", CancellationToken.None);

        // Then NOT NULL is back and the rows hold the declaration the daemon kept, or an empty object.
        Assert.That(await database.ScalarAsync<string>("SELECT declaration FROM plugins"), Is.EqualTo("""{"name":"debug"}"""));
        Assert.That(await database.ScalarAsync<string>("SELECT declaration FROM tool_installations"), Is.EqualTo("{}"));
        Assert.That((await MigrationCases.InspectAsync(database)).Table("tool_installations")!.Column("declaration")!.IsNullable, Is.False);
    }

    [Test]
    public async Task Preview_returns_each_migrations_SQL_and_changes_nothing()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var service = await MigrationCases.ServiceAsync(database);

        var scripts = await service.PreviewAsync(MigrationDirection.Up, "0.0.3", CancellationToken.None);

        Assert.That(scripts.Select(s => s.Migration.Id), Is.EqualTo(new[] { 100L, 300L }));
        Assert.That(scripts[0].Statements, Has.Some.StartsWith("CREATE TABLE \"public\".\"plugins\"").And.Some.Contains("uuid-ossp"));
        Assert.That(scripts[1].Statements, Has.Some.EqualTo("ALTER TABLE tool_installations ALTER COLUMN declaration DROP NOT NULL"));
        Assert.That((await MigrationCases.InspectAsync(database)).Tables, Is.Empty);
    }

    [Test]
    public async Task Down_preview_lists_the_applied_migrations_newest_first()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var service = await MigrationCases.ServiceAsync(database);
        await service.UpAsync("0.5.2", CancellationToken.None);

        var scripts = await service.PreviewAsync(MigrationDirection.Down, "0.5.1", CancellationToken.None);

        Assert.That(scripts.Select(s => s.Migration.Id), Is.EqualTo(new[] { 50201L, 50200L }));
        Assert.That(scripts[1].Statements, Is.EqualTo(new[] { "DROP TABLE \"public\".\"plugin_readme_records\";" }));
        Assert.That((await service.StatusAsync(CancellationToken.None)).Current?.Id, Is.EqualTo(50201));
    }

    [Test]
    public async Task Up_to_a_release_stops_at_its_last_migration_and_up_again_does_nothing()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var service = await MigrationCases.ServiceAsync(database);

        var first = await service.UpAsync("0.5.3", CancellationToken.None);
        var second = await service.UpAsync("0.5.2", CancellationToken.None);

        Assert.That(first.Current?.Id, Is.EqualTo(50201));
        Assert.That(second.Executed, Is.Empty);
        Assert.That((await service.StatusAsync(CancellationToken.None)).Pending.Select(m => m.Id), Is.EqualTo(new[] { 50400L, 50401L, 1_000_000_000L }));
    }
}
