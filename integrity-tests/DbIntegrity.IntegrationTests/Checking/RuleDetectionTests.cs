using DbIntegrity.Core.Packages;
using DbIntegrity.Core.Reporting;
using DbIntegrity.Core.Rules;
using DbIntegrity.Core.Scanning;
using DbIntegrity.IntegrationTests.Infrastructure;
using DbIntegrity.Simulator.Packages;
using static DbIntegrity.Simulator.Seeding.HealthyDeployment;

namespace DbIntegrity.IntegrationTests.Checking;

/// <summary>
/// For each rule: a consistent deployment, exactly one fault injected the way it happens in the field, and exactly
/// the findings that fault must produce (several rules when several rows depend on the broken thing).
/// </summary>
[Category("Integration")]
[Parallelizable(ParallelScope.All)]
[TestFixtureSource(typeof(TestStores), nameof(TestStores.All))]
public sealed class RuleDetectionTests(TestStoreKind store)
{
    private static readonly string Sha = new('e', 64);

    [Test]
    public async Task A_stray_file_under_plugin_is_installed_key_invalid()
    {
        await using var d = await DeploymentUnderTest.CreateAsync(store: store);
        await d.Bucket.Store.PutAsync("plugin/langgenius/notes.txt", "left by a migration script"u8.ToArray(), CancellationToken.None);

        var report = await d.ScanAsync();

        Assert.That(DeploymentUnderTest.Problems(report), Is.EquivalentTo(new Dictionary<string, int> { ["installed-key-invalid"] = 1 }));
        Assert.That(report.Findings.Single(f => f.Rule == "installed-key-invalid").ObjectKey, Is.EqualTo("plugin/langgenius/notes.txt"));
    }

    [Test]
    public async Task A_serverless_plugin_without_its_package_is_plugin_package_missing_and_needs_no_installed_marker()
    {
        // Serverless plugins run from the package; install writes no plugin/<P> marker for them (docs/daemon/storage.md#lifecycle, Install).
        await using var d = await DeploymentUnderTest.CreateAsync(store: store);
        var google = d.Deployment.Installation(Tenant(1), Plugins.Google);
        await d.Database.ExecuteAsync($"UPDATE plugins SET install_type = 'serverless' WHERE id = '{google.PluginRowId}'");
        await d.Database.ExecuteAsync($"UPDATE plugin_installations SET runtime_type = 'serverless' WHERE plugin_unique_identifier = '{google.Identifier.Value}'");
        await d.Bucket.Store.DeleteAsync(google.InstalledKey!, CancellationToken.None);
        await d.Bucket.Store.DeleteAsync(google.PackageKey!, CancellationToken.None);

        var report = await d.ScanAsync();

        Assert.That(DeploymentUnderTest.Problems(report), Is.EquivalentTo(new Dictionary<string, int>
        {
            ["plugin-package-missing"] = 1,
            ["declaration-package-missing"] = 1,
        }));
        Assert.That(report.Findings.Single(f => f.Rule == "plugin-package-missing").RowId, Is.EqualTo(google.PluginRowId.ToString()));
    }

    [Test]
    public async Task A_copy_with_the_colon_mangled_is_installed_key_invalid_naming_the_original()
    {
        await using var d = await DeploymentUnderTest.CreateAsync(store: store);
        var google = d.Deployment.Installation(Tenant(0), Plugins.Google);
        var mangled = google.InstalledKey!.Replace(':', '_');
        await d.Bucket.Store.CopyAsync(d.Bucket.Name, google.InstalledKey, mangled, CancellationToken.None);

        var report = await d.ScanAsync();

        Assert.That(DeploymentUnderTest.Problems(report), Is.EquivalentTo(new Dictionary<string, int> { ["installed-key-invalid"] = 1 }));
        var finding = report.Findings.Single(f => f.Rule == "installed-key-invalid");
        Assert.That(finding.ObjectKey, Is.EqualTo(mangled));
        Assert.That(finding.Message, Does.Contain("looks like " + google.Identifier.Value));
    }

    [Test]
    public async Task A_lost_package_of_an_installed_plugin_breaks_the_marker_the_plugin_row_and_the_declaration()
    {
        await using var d = await DeploymentUnderTest.CreateAsync(store: store);
        var agent = d.Deployment.Installation(Tenant(0), Plugins.Agent);
        await d.Bucket.Store.DeleteAsync(agent.PackageKey!, CancellationToken.None);

        var report = await d.ScanAsync();

        Assert.That(DeploymentUnderTest.Problems(report), Is.EquivalentTo(new Dictionary<string, int>
        {
            ["installed-package-missing"] = 1,
            ["plugin-package-missing"] = 1,
            ["declaration-package-missing"] = 1,
        }));
        Assert.That(report.Findings.Where(f => f.Severity == Severity.Error).Select(f => f.Identifier).Distinct(), Is.EqualTo(new[] { agent.Identifier.Value }));
        Assert.That(report.Findings.Single(f => f.Rule == "plugin-package-missing").RowId, Is.EqualTo(agent.PluginRowId.ToString()));
    }

    [Test]
    public async Task A_lost_installed_marker_is_plugin_installed_object_missing()
    {
        await using var d = await DeploymentUnderTest.CreateAsync(store: store);
        var google = d.Deployment.Installation(Tenant(1), Plugins.Google);
        await d.Bucket.Store.DeleteAsync(google.InstalledKey!, CancellationToken.None);

        var report = await d.ScanAsync();

        Assert.That(DeploymentUnderTest.Problems(report), Is.EquivalentTo(new Dictionary<string, int> { ["plugin-installed-object-missing"] = 1 }));
        Assert.That(report.Findings.Single(f => f.Rule == "plugin-installed-object-missing").ObjectKey, Is.EqualTo(google.InstalledKey));
    }

    [Test]
    public async Task An_uploaded_version_whose_package_is_gone_is_declaration_package_missing_the_daemon_736_incident()
    {
        await using var d = await DeploymentUnderTest.CreateAsync(store: store);
        var next = d.Deployment.Upload(Plugins.OpenAi, "0.2.8");
        await d.Bucket.Store.DeleteAsync(next.PackageKey, CancellationToken.None);

        var report = await d.ScanAsync();

        Assert.That(DeploymentUnderTest.Problems(report), Is.EquivalentTo(new Dictionary<string, int> { ["declaration-package-missing"] = 1 }));
        var finding = report.Findings.Single(f => f.Rule == "declaration-package-missing");
        Assert.Multiple(() =>
        {
            Assert.That(finding.Table, Is.EqualTo("plugin_declarations"));
            Assert.That(finding.RowId, Is.EqualTo(next.DeclarationId.ToString()));
            Assert.That(finding.ObjectKey, Is.EqualTo(next.PackageKey));
            Assert.That(finding.Message, Does.Contain("upgrading").And.Contain("daemon#736"));
        });
    }

    [Test]
    public async Task A_deleted_plugins_row_leaves_its_installations_and_marker_pointing_at_nothing()
    {
        await using var d = await DeploymentUnderTest.CreateAsync(store: store);
        var google = d.Deployment.Installation(Tenant(0), Plugins.Google);
        await d.Database.ExecuteAsync($"DELETE FROM plugins WHERE id = '{google.PluginRowId}'");

        var report = await d.ScanAsync();

        Assert.That(DeploymentUnderTest.Problems(report), Is.EquivalentTo(new Dictionary<string, int>
        {
            ["installation-plugin-missing"] = d.Deployment.InstallationsOf(google.Identifier.Value).Count,
            ["installed-key-without-plugin-row"] = 1,
        }));
    }

    [Test]
    public async Task A_deleted_declaration_of_an_installed_plugin_is_installation_declaration_missing_for_each_tenant()
    {
        await using var d = await DeploymentUnderTest.CreateAsync(store: store);
        var agent = d.Deployment.Installation(Tenant(0), Plugins.Agent);
        var upload = d.Deployment.Uploads.Single(u => u.Identifier == agent.Identifier);
        await d.Database.ExecuteAsync($"DELETE FROM plugin_declarations WHERE id = '{upload.DeclarationId}'");

        var report = await d.ScanAsync();

        Assert.That(DeploymentUnderTest.Problems(report), Is.EquivalentTo(new Dictionary<string, int>
        {
            ["installation-declaration-missing"] = d.Deployment.InstallationsOf(agent.Identifier.Value).Count,
        }));
    }

    [Test]
    public async Task An_installation_without_an_identifier_has_no_plugins_row_and_no_declaration()
    {
        await using var d = await DeploymentUnderTest.CreateAsync(store: store);
        var google = d.Deployment.Installation(Tenant(0), Plugins.Google);
        await d.Database.ExecuteAsync($"UPDATE plugin_installations SET plugin_unique_identifier = NULL WHERE id = '{google.InstallationId}'");

        var report = await d.ScanAsync();

        var missing = report.Findings.Where(f => f.Rule is "installation-plugin-missing" or "installation-declaration-missing").ToList();
        Assert.That(missing.Select(f => f.Rule), Is.EquivalentTo(new[] { "installation-plugin-missing", "installation-declaration-missing" }));
        Assert.That(missing.Select(f => (f.RowId, f.Identifier)), Is.All.EqualTo((google.InstallationId.ToString(), (string?)null)));
        Assert.That(missing.Select(f => f.Message), Is.All.Contain("installed as (null)"));
        // The same row is also identifier-invalid, and its plugins row counts one installation too many.
        Assert.That(DeploymentUnderTest.Problems(report), Is.EquivalentTo(new Dictionary<string, int>
        {
            ["installation-plugin-missing"] = 1,
            ["installation-declaration-missing"] = 1,
            ["identifier-invalid"] = 1,
            ["refers-mismatch"] = 1,
        }));
    }

    [Test]
    public async Task An_identifier_the_daemon_rejects_is_identifier_invalid()
    {
        await using var d = await DeploymentUnderTest.CreateAsync(store: store);
        var google = d.Deployment.Installation(Tenant(2), Plugins.Google);
        await d.Database.ExecuteAsync($"UPDATE {google.CategoryRow!.Table} SET plugin_unique_identifier = 'langgenius/Google:0.0.9@{Sha}' WHERE id = '{google.CategoryRow.Id}'");

        var report = await d.ScanAsync();

        Assert.That(DeploymentUnderTest.Problems(report), Is.EquivalentTo(new Dictionary<string, int> { ["identifier-invalid"] = 1 }));
        Assert.That(report.Findings.Single(f => f.Rule == "identifier-invalid").RowId, Is.EqualTo(google.CategoryRow.Id.ToString()));
    }

    [Test]
    public async Task A_plugin_id_that_is_not_the_identifiers_author_and_name_is_plugin_id_mismatch()
    {
        await using var d = await DeploymentUnderTest.CreateAsync(store: store);
        var tavily = d.Deployment.Upload(Plugins.Tavily, "0.0.5");
        await d.Database.ExecuteAsync($"UPDATE plugin_declarations SET plugin_id = 'langgenius/tavily_search' WHERE id = '{tavily.DeclarationId}'");

        var report = await d.ScanAsync();

        Assert.That(DeploymentUnderTest.Problems(report), Is.EquivalentTo(new Dictionary<string, int> { ["plugin-id-mismatch"] = 1 }));
    }

    [Test]
    public async Task A_refers_count_off_by_one_is_refers_mismatch()
    {
        await using var d = await DeploymentUnderTest.CreateAsync(store: store);
        var openAi = d.Deployment.Installation(Tenant(1), Plugins.OpenAi);
        await d.Database.ExecuteAsync($"UPDATE plugins SET refers = refers + 1 WHERE id = '{openAi.PluginRowId}'");

        var report = await d.ScanAsync();

        Assert.That(DeploymentUnderTest.Problems(report), Is.EquivalentTo(new Dictionary<string, int> { ["refers-mismatch"] = 1 }));
        Assert.That(report.Findings.Single(f => f.Rule == "refers-mismatch").Details!["installations"], Is.EqualTo("1"));
    }

    [Test]
    public async Task Before_0_5_4_a_duplicated_plugins_row_is_duplicate_plugin_row()
    {
        await using var d = await DeploymentUnderTest.CreateAsync("0.5.2", store: store);
        var google = d.Deployment.Installation(Tenant(0), Plugins.Google);
        // A day older than the original: listed first (oldest first, whatever the ids' order).
        var copy = Guid.CreateVersion7();
        await d.Database.ExecuteAsync($"""
            INSERT INTO plugins (id, created_at, updated_at, plugin_unique_identifier, plugin_id, refers, install_type, manifest_type, remote_declaration, source)
            SELECT '{copy}', created_at - interval '1 day', updated_at - interval '1 day', plugin_unique_identifier, plugin_id, refers, install_type, manifest_type, remote_declaration, source
            FROM plugins WHERE id = '{google.PluginRowId}'
            """);
        var refers = await d.Database.ScalarAsync<long>($"SELECT refers FROM plugins WHERE id = '{google.PluginRowId}'");

        var report = await d.ScanAsync();

        Assert.That(DeploymentUnderTest.Problems(report), Is.EquivalentTo(new Dictionary<string, int> { ["duplicate-plugin-row"] = 1 }));
        var finding = report.Findings.Single(f => f.Rule == "duplicate-plugin-row");
        Assert.That(finding.Identifier, Is.EqualTo(google.Identifier.Value));
        Assert.That(finding.Details!["rows"], Is.EqualTo($"{copy}={refers},{google.PluginRowId}={refers}"));
        Assert.That(finding.Details!["count"], Is.EqualTo("2"));
    }

    [Test]
    public async Task Before_0_5_1_a_second_installation_for_one_tenant_is_duplicate_installation()
    {
        await using var d = await DeploymentUnderTest.CreateAsync("0.4.0", store: store);
        var agent = d.Deployment.Installation(Tenant(0), Plugins.Agent);
        await InstallTwiceAsync(d, agent);

        var report = await d.ScanAsync();

        Assert.That(DeploymentUnderTest.Problems(report), Is.EquivalentTo(new Dictionary<string, int> { ["duplicate-installation"] = 1 }));
        var finding = report.Findings.Single(f => f.Rule == "duplicate-installation");
        Assert.That((finding.TenantId, finding.PluginId), Is.EqualTo((Tenant(0).ToString(), Plugins.Agent)));
    }

    [Test]
    public async Task A_second_installation_is_duplicate_installation_though_a_unique_index_was_left_invalid()
    {
        await using var d = await DeploymentUnderTest.CreateAsync("0.4.0", store: store);
        var agent = d.Deployment.Installation(Tenant(0), Plugins.Agent);
        await InstallTwiceAsync(d, agent);
        // What an online attempt at 0.5.1's index leaves behind when duplicates exist: the index, marked invalid.
        Assert.That(
            async () => await d.Database.ExecuteAsync("CREATE UNIQUE INDEX CONCURRENTLY idx_tenant_plugin ON plugin_installations (tenant_id, plugin_id)"),
            Throws.InstanceOf<Npgsql.PostgresException>());
        Assert.That(await d.Database.ScalarAsync<bool>("SELECT NOT indisvalid FROM pg_index WHERE indexrelid = 'idx_tenant_plugin'::regclass"), Is.True, "the index is there, invalid");

        var report = await d.ScanAsync();

        Assert.That(DeploymentUnderTest.Problems(report), Is.EquivalentTo(new Dictionary<string, int> { ["duplicate-installation"] = 1 }));
    }

    [Test]
    public async Task A_deleted_category_row_is_category_row_missing()
    {
        await using var d = await DeploymentUnderTest.CreateAsync(store: store);
        var openAi = d.Deployment.Installation(Tenant(0), Plugins.OpenAi);
        await d.Database.ExecuteAsync($"DELETE FROM {openAi.CategoryRow!.Table} WHERE id = '{openAi.CategoryRow.Id}'");

        var report = await d.ScanAsync();

        Assert.That(DeploymentUnderTest.Problems(report), Is.EquivalentTo(new Dictionary<string, int> { ["category-row-missing"] = 1 }));
        var finding = report.Findings.Single(f => f.Rule == "category-row-missing");
        Assert.That(finding.RowId, Is.EqualTo(openAi.InstallationId.ToString()));
        Assert.That(finding.Details!["expectedTable"], Is.EqualTo("ai_model_installations"));
    }

    [Test]
    public async Task Every_installation_without_its_category_row_is_reported_across_several_batches_of_full_reads()
    {
        await using var d = await DeploymentUnderTest.CreateAsync(store: store);
        var withRows = d.Deployment.Installations.Where(i => i.CategoryRow is not null).ToList();
        // Several full batches and a part-filled last one, flushed when the pass ends.
        var identifiers = withRows.Select(i => i.Identifier.Value).Distinct().Count();
        var batch = Enumerable.Range(2, identifiers).First(b => identifiers % b != 0);
        Assert.That(identifiers, Is.GreaterThan(2 * batch), "at least two full batches");
        foreach (var table in withRows.Select(i => i.CategoryRow!.Table).Distinct())
        {
            await d.Database.ExecuteAsync($"DELETE FROM {table}");
        }

        var report = await d.ScanAsync(new ScanOptions { Grace = TimeSpan.Zero, InstallationBatch = batch });

        Assert.That(DeploymentUnderTest.Problems(report), Is.EquivalentTo(new Dictionary<string, int> { ["category-row-missing"] = withRows.Count }));
        Assert.That(
            report.Findings.Where(f => f.Rule == "category-row-missing").Select(f => f.RowId),
            Is.EquivalentTo(withRows.Select(i => i.InstallationId.ToString())));
    }

    [Test]
    public async Task Category_rows_left_behind_in_two_category_tables_are_each_named_with_their_table()
    {
        // The orphans of every category table come from one anti-join: each must keep its own table's name.
        await using var d = await DeploymentUnderTest.CreateAsync(store: store);
        var google = d.Deployment.Installation(Tenant(2), Plugins.Google);
        var openAi = d.Deployment.Installation(Tenant(1), Plugins.OpenAi);
        Assert.That(google.CategoryRow!.Table, Is.Not.EqualTo(openAi.CategoryRow!.Table));
        await d.Database.ExecuteAsync($"""
            DELETE FROM plugin_installations WHERE id IN ('{google.InstallationId}', '{openAi.InstallationId}');
            UPDATE plugins SET refers = refers - 1 WHERE id IN ('{google.PluginRowId}', '{openAi.PluginRowId}');
            """);

        var report = await d.ScanAsync();

        Assert.That(DeploymentUnderTest.Problems(report), Is.EquivalentTo(new Dictionary<string, int> { ["category-row-orphan"] = 2 }));
        Assert.That(report.Findings.Where(f => f.Rule == "category-row-orphan").Select(f => (f.Table, f.RowId)), Is.EquivalentTo(new (string?, string?)[]
        {
            (google.CategoryRow.Table, google.CategoryRow.Id.ToString()),
            (openAi.CategoryRow.Table, openAi.CategoryRow.Id.ToString()),
        }));
    }

    [Test]
    public async Task A_category_row_left_behind_by_a_half_uninstall_is_category_row_orphan()
    {
        await using var d = await DeploymentUnderTest.CreateAsync(store: store);
        var google = d.Deployment.Installation(Tenant(2), Plugins.Google);
        await d.Database.ExecuteAsync($"""
            DELETE FROM plugin_installations WHERE id = '{google.InstallationId}';
            UPDATE plugins SET refers = refers - 1 WHERE id = '{google.PluginRowId}';
            """);

        var report = await d.ScanAsync();

        Assert.That(DeploymentUnderTest.Problems(report), Is.EquivalentTo(new Dictionary<string, int> { ["category-row-orphan"] = 1 }));
        Assert.That(report.Findings.Single(f => f.Rule == "category-row-orphan").RowId, Is.EqualTo(google.CategoryRow!.Id.ToString()));
    }

    [Test]
    public async Task A_category_row_without_a_plugin_id_is_category_row_orphan()
    {
        await using var d = await DeploymentUnderTest.CreateAsync(store: store);
        var google = d.Deployment.Installation(Tenant(2), Plugins.Google);
        var table = google.CategoryRow!.Table;
        var stray = Guid.NewGuid();
        // A copy of the installation's row (same age) with plugin_id NULL: it matches no installation.
        await d.Database.ExecuteAsync($"""
            INSERT INTO {table}
            SELECT (jsonb_populate_record(NULL::{table}, to_jsonb(c) || jsonb_build_object('id', '{stray}', 'plugin_id', NULL))).*
            FROM {table} c WHERE c.id = '{google.CategoryRow.Id}';
            """);

        var report = await d.ScanAsync();

        // plugin-id-mismatch: the row's NULL plugin_id disagrees with its identifier, a second fault of the same row.
        Assert.That(DeploymentUnderTest.Problems(report), Is.EquivalentTo(new Dictionary<string, int> { ["category-row-orphan"] = 1, ["plugin-id-mismatch"] = 1 }));
        Assert.That(report.Findings.Single(f => f.Rule == "category-row-orphan").RowId, Is.EqualTo(stray.ToString()));
    }

    [Test]
    public async Task A_category_row_left_at_another_version_is_category_row_missing()
    {
        await using var d = await DeploymentUnderTest.CreateAsync(store: store);
        var openAi = d.Deployment.Installation(Tenant(0), Plugins.OpenAi);
        await d.Database.ExecuteAsync($"UPDATE {openAi.CategoryRow!.Table} SET plugin_unique_identifier = 'langgenius/openai:0.0.1@{Sha}' WHERE id = '{openAi.CategoryRow.Id}'");

        var report = await d.ScanAsync();

        Assert.That(DeploymentUnderTest.Problems(report), Is.EquivalentTo(new Dictionary<string, int> { ["category-row-missing"] = 1 }));
        var finding = report.Findings.Single(f => f.Rule == "category-row-missing");
        Assert.That(finding.RowId, Is.EqualTo(openAi.InstallationId.ToString()));
        Assert.That(finding.Details!["staleIn"], Is.EqualTo("ai_model_installations"));
        Assert.That(finding.Message, Does.Contain("another version"));
    }

    [Test]
    public async Task A_second_category_row_for_one_installation_is_category_row_orphan()
    {
        await using var d = await DeploymentUnderTest.CreateAsync(store: store);
        var google = d.Deployment.Installation(Tenant(2), Plugins.Google);
        await d.Database.ExecuteAsync(CopyToolRowSql(google, "'id', gen_random_uuid(), 'created_at', now()"));

        var report = await d.ScanAsync();

        Assert.That(DeploymentUnderTest.Problems(report), Is.EquivalentTo(new Dictionary<string, int> { ["category-row-orphan"] = 1 }));
        var finding = report.Findings.Single(f => f.Rule == "category-row-orphan");
        Assert.That(finding.RowId, Is.Not.EqualTo(google.CategoryRow!.Id.ToString()));
        Assert.That(finding.Details!["duplicateOf"], Is.EqualTo(google.CategoryRow.Id.ToString()));
    }

    [Test]
    public async Task Two_category_rows_with_no_installation_are_two_orphans_and_neither_is_kept()
    {
        await using var d = await DeploymentUnderTest.CreateAsync(store: store);
        var google = d.Deployment.Installation(Tenant(2), Plugins.Google);
        await d.Database.ExecuteAsync($"""
            {CopyToolRowSql(google, "'id', gen_random_uuid(), 'created_at', now()")}
            DELETE FROM plugin_installations WHERE id = '{google.InstallationId}';
            UPDATE plugins SET refers = refers - 1 WHERE id = '{google.PluginRowId}';
            """);

        var report = await d.ScanAsync();

        Assert.That(DeploymentUnderTest.Problems(report), Is.EquivalentTo(new Dictionary<string, int> { ["category-row-orphan"] = 2 }));
        Assert.That(report.Findings.Where(f => f.Rule == "category-row-orphan").Select(f => f.Details?.GetValueOrDefault("duplicateOf")), Is.All.Null);
    }

    [Test]
    public async Task Of_two_category_rows_the_one_at_the_installed_version_is_kept_though_the_other_is_older()
    {
        await using var d = await DeploymentUnderTest.CreateAsync(store: store);
        var google = d.Deployment.Installation(Tenant(2), Plugins.Google);
        var stale = Guid.NewGuid();
        await d.Database.ExecuteAsync(CopyToolRowSql(
            google, $"'id', '{stale}', 'created_at', c.created_at - interval '1 day', 'plugin_unique_identifier', 'langgenius/google:0.0.1@{Sha}'"));

        var report = await d.ScanAsync();

        Assert.That(DeploymentUnderTest.Problems(report), Is.EquivalentTo(new Dictionary<string, int> { ["category-row-orphan"] = 1 }));
        var finding = report.Findings.Single(f => f.Rule == "category-row-orphan");
        Assert.That((finding.RowId, finding.Details!["duplicateOf"]), Is.EqualTo((stale.ToString(), google.CategoryRow!.Id.ToString())));
    }

    [Test]
    public async Task Before_0_5_1_two_installations_with_a_category_row_each_have_no_orphan()
    {
        await using var d = await DeploymentUnderTest.CreateAsync("0.4.0", store: store);
        var google = d.Deployment.Installation(Tenant(2), Plugins.Google);
        await InstallTwiceAsync(d, google);
        await d.Database.ExecuteAsync(CopyToolRowSql(google, "'id', gen_random_uuid()"));

        var report = await d.ScanAsync();

        Assert.That(DeploymentUnderTest.Problems(report), Is.EquivalentTo(new Dictionary<string, int> { ["duplicate-installation"] = 1 }));
    }

    [Test]
    public async Task A_tool_declaration_without_a_tool_block_expects_no_category_row_as_install_writes_none()
    {
        await using var d = await DeploymentUnderTest.CreateAsync(store: store);
        // The manifest still lists its provider file under plugins.tools; the decoded tool block is absent.
        var changed = await d.Database.ExecuteAsync($"""
            UPDATE plugin_declarations SET declaration = (declaration::jsonb - 'tool')::text
            WHERE plugin_id = '{Plugins.Google}' AND declaration::jsonb -> 'plugins' -> 'tools' IS NOT NULL;
            DELETE FROM tool_installations WHERE plugin_id = '{Plugins.Google}';
            """);
        Assert.That(changed, Is.GreaterThan(0), "the fault was injected");

        var report = await d.ScanAsync();

        Assert.That(DeploymentUnderTest.Problems(report), Is.Empty);
    }

    [Test]
    public async Task A_marker_for_a_version_nobody_installed_is_installed_key_without_plugin_row()
    {
        await using var d = await DeploymentUnderTest.CreateAsync(store: store);
        var tavily = d.Deployment.Upload(Plugins.Tavily, "0.0.5");
        await d.Bucket.Store.CopyAsync(d.Bucket.Name, tavily.PackageKey, "plugin/" + tavily.Identifier.Value, CancellationToken.None);

        var report = await d.ScanAsync();

        Assert.That(DeploymentUnderTest.Problems(report), Is.EquivalentTo(new Dictionary<string, int> { ["installed-key-without-plugin-row"] = 1 }));
    }

    [Test]
    public async Task A_lost_icon_is_asset_missing()
    {
        await using var d = await DeploymentUnderTest.CreateAsync(store: store);
        var agent = d.Deployment.Upload(Plugins.Agent, "0.0.14");
        await d.Bucket.Store.DeleteAsync(agent.AssetKeys[0], CancellationToken.None);

        var report = await d.ScanAsync();

        Assert.That(DeploymentUnderTest.Problems(report), Is.EquivalentTo(new Dictionary<string, int> { ["asset-missing"] = 1 }));
        Assert.That(report.Findings.Single(f => f.Rule == "asset-missing").ObjectKey, Is.EqualTo(agent.AssetKeys[0]));
    }

    [Test]
    public async Task Broken_declaration_JSON_is_declaration_invalid_not_a_crash()
    {
        await using var d = await DeploymentUnderTest.CreateAsync(store: store);
        var tavily = d.Deployment.Upload(Plugins.Tavily, "0.0.5");
        await d.Database.ExecuteAsync($"UPDATE plugin_declarations SET declaration = '{{\"version\": \"0.0.5\", \"name\": ' WHERE id = '{tavily.DeclarationId}'");

        var report = await d.ScanAsync();

        Assert.That(report.Status, Is.EqualTo(ScanStatus.Inconsistent));
        Assert.That(DeploymentUnderTest.Problems(report), Is.EquivalentTo(new Dictionary<string, int> { ["declaration-invalid"] = 1 }));
    }

    [Test]
    public async Task A_lone_escaped_surrogate_in_a_declaration_is_read_as_the_daemon_reads_it_not_a_crash()
    {
        await using var d = await DeploymentUnderTest.CreateAsync(store: store);
        var tavily = d.Deployment.Upload(Plugins.Tavily, "0.0.5");
        var changed = await d.Database.ExecuteAsync($"""UPDATE plugin_declarations SET declaration = replace(declaration, '"name":"tavily"', '"name":"tavily\ud83d"') WHERE id = '{tavily.DeclarationId}' AND declaration LIKE '%"name":"tavily"%'""");
        Assert.That(changed, Is.EqualTo(1), "the fault was injected");

        var report = await d.ScanAsync();

        Assert.That(report.Status, Is.EqualTo(ScanStatus.Consistent), report.IncompleteReason);
        Assert.That(DeploymentUnderTest.Problems(report), Is.Empty);
    }

    [Test]
    public async Task Deep_finds_a_package_replaced_by_a_repacked_one_as_package_checksum_mismatch()
    {
        await using var d = await DeploymentUnderTest.CreateAsync(store: store);
        var google = d.Deployment.Installation(Tenant(0), Plugins.Google);
        // Same manifest, one more file: the identity holds, the checksum (docs/daemon/packages.md#checksum) does not.
        var repacked = PackageBuilder.Build(new PackageSpec("langgenius", "google", "0.0.9", PluginCategory.Tool) { Label = "Google (repacked)" });
        await d.Bucket.OverwriteAsync(google.PackageKey!, repacked.Bytes);

        var shallow = await d.ScanAsync();
        var deep = await d.ScanAsync(deep: true);

        Assert.That(DeploymentUnderTest.Problems(shallow), Is.Empty, "without --deep the bytes are not read");
        Assert.That(DeploymentUnderTest.Problems(deep), Is.EquivalentTo(new Dictionary<string, int> { ["package-checksum-mismatch"] = 1 }));
        Assert.That(deep.Findings.Single(f => f.Rule == "package-checksum-mismatch").Details!["computedChecksum"], Is.EqualTo(repacked.Identifier.Checksum));
    }

    [Test]
    public async Task Deep_finds_bytes_that_are_not_a_zip_as_package_unreadable()
    {
        await using var d = await DeploymentUnderTest.CreateAsync(store: store);
        var openAi = d.Deployment.Installation(Tenant(1), Plugins.OpenAi);
        await d.Bucket.OverwriteAsync(openAi.PackageKey!, "<html>Access Denied</html>"u8.ToArray());

        var report = await d.ScanAsync(deep: true);

        Assert.That(DeploymentUnderTest.Problems(report), Is.EquivalentTo(new Dictionary<string, int> { ["package-unreadable"] = 1 }));
    }

    [Test]
    public async Task Deep_finds_a_declaration_describing_another_version_as_declaration_identity_mismatch()
    {
        await using var d = await DeploymentUnderTest.CreateAsync(store: store);
        var tavily = d.Deployment.Upload(Plugins.Tavily, "0.0.5");
        await d.Database.ExecuteAsync($"UPDATE plugin_declarations SET declaration = replace(declaration, '\"version\":\"0.0.5\"', '\"version\":\"0.0.6\"') WHERE id = '{tavily.DeclarationId}'");

        var report = await d.ScanAsync(deep: true);

        Assert.That(DeploymentUnderTest.Problems(report), Is.EquivalentTo(new Dictionary<string, int> { ["declaration-identity-mismatch"] = 1 }));
    }

    [Test]
    public async Task Orphans_upstream_never_cleans_are_info_and_keep_the_deployment_consistent()
    {
        await using var d = await DeploymentUnderTest.CreateAsync(store: store);
        await d.Bucket.Store.PutAsync($"plugin_packages/acme/left_behind:1.0.0@{Sha}", "zip"u8.ToArray(), CancellationToken.None);
        await d.Bucket.Store.PutAsync("assets/" + new string('f', 64) + ".svg", "<svg/>"u8.ToArray(), CancellationToken.None);
        await d.Database.ExecuteAsync($$"""
            INSERT INTO endpoints (id, created_at, updated_at, name, hook_id, tenant_id, user_id, plugin_id, expired_at, enabled, settings)
            VALUES ('{{Guid.CreateVersion7()}}', now() - interval '1 hour', now() - interval '1 hour', 'old', 'abcdefghijklmnop', '{{Tenant(1)}}', 'u', '{{Plugins.Webhook}}', '2050-01-01', true, '{}');
            INSERT INTO plugin_readme_records (id, created_at, updated_at, plugin_unique_identifier, language, content)
            VALUES ('{{Guid.CreateVersion7()}}', now() - interval '1 hour', now() - interval '1 hour', 'acme/gone:1.0.0@{{Sha}}', 'en_US', '# gone');
            """);

        var report = await d.ScanAsync();

        Assert.That(report.Status, Is.EqualTo(ScanStatus.Consistent));
        var info = report.Findings.Where(f => f.Severity == Severity.Info).GroupBy(f => f.Rule).ToDictionary(g => g.Key, g => g.Count());
        Assert.That(info, Is.EquivalentTo(new Dictionary<string, int>
        {
            ["orphan-package-object"] = 1,
            ["orphan-asset"] = 1,
            ["orphan-endpoint"] = 1,
            ["orphan-readme"] = 1,
            ["orphan-declaration"] = d.Deployment.UploadedOnly.Count(),
        }));
    }

    // What a double install does before 0.5.1: a second plugin_installations row and refers + 1
    // (docs/daemon/database.md#invariants item 2).
    private static Task InstallTwiceAsync(DeploymentUnderTest d, DbIntegrity.Simulator.Seeding.SeededInstallation installation) =>
        d.Database.ExecuteAsync($"""
            INSERT INTO plugin_installations (id, created_at, updated_at, tenant_id, plugin_id, plugin_unique_identifier, runtime_type, endpoints_setups, endpoints_active, source, meta)
            SELECT '{Guid.CreateVersion7()}', created_at, updated_at, tenant_id, plugin_id, plugin_unique_identifier, runtime_type, endpoints_setups, endpoints_active, source, meta
            FROM plugin_installations WHERE id = '{installation.InstallationId}';
            UPDATE plugins SET refers = refers + 1 WHERE id = '{installation.PluginRowId}';
            """);

    // A copy of the installation's tool_installations row with the given jsonb_build_object pairs changed (c is the original).
    private static string CopyToolRowSql(DbIntegrity.Simulator.Seeding.SeededInstallation installation, string changes) => $"""
        INSERT INTO tool_installations
        SELECT (json_populate_record(NULL::tool_installations, (row_to_json(c)::jsonb || jsonb_build_object({changes}))::json)).*
        FROM tool_installations c WHERE id = '{installation.CategoryRow!.Id}';
        """;
}
