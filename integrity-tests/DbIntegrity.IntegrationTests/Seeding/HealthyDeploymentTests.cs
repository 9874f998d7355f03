using DbIntegrity.Core.Packages;
using DbIntegrity.Core.Plugins;
using DbIntegrity.Simulator.Seeding;

namespace DbIntegrity.IntegrationTests.Seeding;

/// <summary>A seeded healthy deployment holds exactly what docs/daemon/storage.md#lifecycle says the daemon writes, and every docs/daemon/database.md#invariants/docs/daemon/rules.md invariant.</summary>
[Category("Integration")]
[TestFixtureSource(typeof(DaemonSchema), nameof(DaemonSchema.Versions))]
public sealed class HealthyDeploymentTests(string version)
{
    private static readonly string[] CategoryTables =
        ["tool_installations", "ai_model_installations", "agent_strategy_installations", "datasource_installations", "trigger_installations"];

    private SeedingContext _context = null!;
    private SeededDeployment _deployment = null!;

    [OneTimeSetUp]
    public async Task SeedAsync()
    {
        _context = await SeedingContext.CreateAsync(version);
        _deployment = await HealthyDeployment.SeedAsync(_context.Seeder, new HealthyDeploymentOptions { IncludeServerless = true }, CancellationToken.None);
    }

    [OneTimeTearDown]
    public async Task DisposeAsync() => await _context.DisposeAsync();

    [Test]
    public void The_deployment_has_the_promised_shape()
    {
        var categories = _deployment.Installations.Select(i => i.Package.Category).Distinct().ToList();
        var schema = _context.Seeder.Schema;
        Assert.Multiple(() =>
        {
            Assert.That(_deployment.Tenants, Has.Count.EqualTo(3));
            Assert.That(categories, Is.SupersetOf(new[] { PluginCategory.Tool, PluginCategory.Model, PluginCategory.AgentStrategy, PluginCategory.Extension }));
            Assert.That(categories.Contains(PluginCategory.Datasource), Is.EqualTo(schema.HasTable("datasource_installations")), "datasource only where the table exists");
            Assert.That(categories.Contains(PluginCategory.Trigger), Is.EqualTo(schema.HasTable("trigger_installations")), "trigger only where the table exists");
            Assert.That(_deployment.Installations.Where(i => i.PluginId == HealthyDeployment.Plugins.OpenAi).Select(i => (i.TenantId, i.Identifier.Version)).Distinct().Count(), Is.EqualTo(2),
                "two versions of one plugin, used by different tenants");
            Assert.That(_deployment.UploadedOnly.Select(u => u.Identifier.Value), Is.EquivalentTo(new[]
            {
                _deployment.Upload(HealthyDeployment.Plugins.OpenAi, "0.2.8").Identifier.Value,
                _deployment.Upload(HealthyDeployment.Plugins.Tavily, "0.0.5").Identifier.Value,
            }));
            Assert.That(_deployment.Installations.Select(i => i.Runtime).Distinct(), Is.EquivalentTo(new[] { PluginRuntime.Local, PluginRuntime.Remote, PluginRuntime.Serverless }));
            Assert.That(_deployment.Endpoints, Has.Count.EqualTo(4));
            Assert.That(_deployment.Readmes, schema.HasTable("plugin_readme_records") ? Is.Not.Empty : Is.Empty);
            Assert.That(_deployment.InstallTasks.Single().Status, Is.EqualTo(InstallTaskStatus.Failed));
        });
    }

    [Test]
    public async Task Refers_equals_the_number_of_installations_of_each_identifier()
    {
        var plugins = await _context.RowsAsync("SELECT plugin_unique_identifier, plugin_id, refers FROM plugins");
        var installations = await _context.RowsAsync("SELECT plugin_unique_identifier FROM plugin_installations");
        var counts = installations.GroupBy(i => (string)i["plugin_unique_identifier"]!).ToDictionary(g => g.Key, g => (long)g.Count());

        Assert.Multiple(() =>
        {
            Assert.That(plugins.ToDictionary(p => (string)p["plugin_unique_identifier"]!, p => (long)p["refers"]!), Is.EquivalentTo(counts));
            Assert.That(plugins.Select(p => (string)p["plugin_id"]!), Is.EqualTo(plugins.Select(p => PluginUniqueIdentifier.Parse((string)p["plugin_unique_identifier"]!).PluginId)));
            Assert.That(installations, Has.Count.EqualTo(_deployment.Installations.Count));
        });
    }

    [Test]
    public async Task Every_local_plugin_has_its_package_and_a_byte_identical_installed_copy()
    {
        var local = await _context.RowsAsync("SELECT plugin_unique_identifier FROM plugins WHERE install_type = 'local'");
        var installedKeys = await _context.Bucket.KeysAsync("plugin/");

        Assert.That(installedKeys, Is.EquivalentTo(local.Select(r => $"plugin/{r["plugin_unique_identifier"]}")), "plugin/ holds exactly the local plugins");
        foreach (var row in local)
        {
            var identifier = (string)row["plugin_unique_identifier"]!;
            var package = await _context.ObjectAsync($"plugin_packages/{identifier}");
            Assert.That(package, Is.Not.Null, identifier);
            Assert.That(await _context.ObjectAsync($"plugin/{identifier}"), Is.EqualTo(package), identifier);
        }
    }

    [Test]
    public async Task Every_stored_package_parses_and_matches_the_checksum_in_its_key()
    {
        var keys = await _context.Bucket.KeysAsync("plugin_packages/");

        Assert.That(keys, Has.Count.EqualTo(_deployment.Uploads.Count));
        foreach (var key in keys)
        {
            var identifier = PluginUniqueIdentifier.Parse(key["plugin_packages/".Length..]);
            var checksum = await PackageChecksum.ComputeAsync(new MemoryStream((await _context.ObjectAsync(key))!), CancellationToken.None);
            var manifest = await PackageManifestReader.ReadAsync((await _context.ObjectAsync(key))!, CancellationToken.None);
            Assert.Multiple(() =>
            {
                Assert.That(checksum, Is.EqualTo(identifier.Checksum), key);
                Assert.That(manifest.Manifest?.PluginId, Is.EqualTo(identifier.PluginId), key);
                Assert.That(manifest.Manifest?.Version, Is.EqualTo(identifier.Version), key);
            });
        }
    }

    [Test]
    public async Task Every_installation_has_its_plugins_row_and_its_declaration()
    {
        var rows = await _context.RowsAsync("""
            SELECT i.plugin_unique_identifier, i.runtime_type, p.id AS plugin_row, d.id AS declaration_row
            FROM plugin_installations i
            LEFT JOIN plugins p ON p.plugin_unique_identifier = i.plugin_unique_identifier
            LEFT JOIN plugin_declarations d ON d.plugin_unique_identifier = i.plugin_unique_identifier
            """);

        Assert.Multiple(() =>
        {
            Assert.That(rows.Where(r => r["plugin_row"] is null), Is.Empty);
            Assert.That(rows.Where(r => r["declaration_row"] is null).Select(r => r["runtime_type"]), Is.All.EqualTo("remote"), "only remote plugins have no declaration row (docs/daemon/database.md#invariants item 3)");
            Assert.That(rows.Select(r => (string)r["plugin_unique_identifier"]!), Is.All.Matches<string>(i => PluginUniqueIdentifier.TryParse(i, out _)));
        });
    }

    [Test]
    public async Task Each_installation_has_one_category_row_with_the_provider_of_its_declaration()
    {
        var declarations = await DeclarationsAsync();
        var categoryRows = new List<(string Table, string Tenant, string Identifier, string Provider)>();
        foreach (var table in CategoryTables.Where(_context.Seeder.Schema.HasTable))
        {
            categoryRows.AddRange((await _context.RowsAsync($"SELECT tenant_id, plugin_unique_identifier, plugin_id, provider FROM {table}"))
                .Select(r => (table, r["tenant_id"]!.ToString()!, (string)r["plugin_unique_identifier"]!, (string)r["provider"]!)));
        }

        var expected = new List<(string Table, string Tenant, string Identifier, string Provider)>();
        foreach (var row in await _context.RowsAsync("SELECT tenant_id, plugin_unique_identifier FROM plugin_installations"))
        {
            var identifier = (string)row["plugin_unique_identifier"]!;
            var declaration = declarations[identifier];
            Assert.That(declaration.IsReadable, Is.True, declaration.Error);
            if (declaration.Declaration!.Category.InstallationTable() is { } table)
            {
                expected.Add((table, row["tenant_id"]!.ToString()!, identifier, declaration.Declaration.Provider!));
            }
        }

        Assert.Multiple(() =>
        {
            Assert.That(categoryRows, Is.EquivalentTo(expected));
            Assert.That(expected, Has.Count.EqualTo(_deployment.Installations.Count(i => i.Package.Category != PluginCategory.Extension)));
        });
    }

    [Test]
    public async Task Every_declared_icon_exists_under_assets()
    {
        var assets = (await _context.Bucket.KeysAsync("assets/")).ToHashSet(StringComparer.Ordinal);

        var declared = (await DeclarationsAsync()).Values.SelectMany(d => d.Declaration!.AssetIds).Distinct().ToList();

        Assert.Multiple(() =>
        {
            Assert.That(declared, Is.Not.Empty);
            Assert.That(declared.Select(id => $"assets/{id}"), Is.SubsetOf(assets));
        });
    }

    [Test]
    public async Task Endpoints_belong_to_installations_whose_counters_match()
    {
        var counters = await _context.RowsAsync("SELECT tenant_id, plugin_id, endpoints_setups, endpoints_active FROM plugin_installations WHERE endpoints_setups > 0");
        var endpoints = await _context.RowsAsync("SELECT tenant_id, plugin_id FROM endpoints");
        var perInstallation = endpoints.GroupBy(e => ((string)e["tenant_id"]!, (string)e["plugin_id"]!)).ToDictionary(g => g.Key, g => (long)g.Count());

        Assert.That(counters.ToDictionary(c => (c["tenant_id"]!.ToString()!, (string)c["plugin_id"]!), c => (long)c["endpoints_setups"]!), Is.EquivalentTo(perInstallation));
    }

    [Test]
    public async Task The_record_names_the_rows_and_keys_it_created()
    {
        var installationIds = (await _context.RowsAsync("SELECT id FROM plugin_installations")).Select(r => (Guid)r["id"]!);
        var pluginIds = (await _context.RowsAsync("SELECT id FROM plugins")).Select(r => (Guid)r["id"]!);
        var endpointIds = (await _context.RowsAsync("SELECT id FROM endpoints")).Select(r => (Guid)r["id"]!);
        var keys = await _context.Bucket.KeysAsync();

        Assert.Multiple(() =>
        {
            Assert.That(_deployment.Installations.Select(i => i.InstallationId), Is.EquivalentTo(installationIds));
            Assert.That(_deployment.Installations.Select(i => i.PluginRowId).Distinct(), Is.EquivalentTo(pluginIds));
            Assert.That(_deployment.Endpoints.Select(e => e.Id), Is.EquivalentTo(endpointIds));
            Assert.That(_deployment.Uploads.SelectMany(u => u.AssetKeys.Append(u.PackageKey))
                .Concat(_deployment.Installations.Select(i => i.InstalledKey).OfType<string>())
                .Concat(_deployment.Installations.Where(i => i.Runtime == PluginRuntime.Remote).SelectMany(i => i.Package.Assets.Keys.Select(id => $"assets/{id}")))
                .Distinct(), Is.EquivalentTo(keys), "every object is accounted for");
        });
    }

    [Test]
    public async Task Rows_are_older_than_the_checkers_grace_period()
    {
        var newest = (await _context.RowsAsync("SELECT max(created_at) AS t FROM plugin_installations"))[0]["t"];

        Assert.That((DateTime)newest!, Is.LessThan(DateTime.UtcNow.AddMinutes(-30)));
    }

    // Declarations by identifier: plugin_declarations for uploaded packages, the plugins row's declaration for remote ones.
    private async Task<Dictionary<string, DeclarationReadResult>> DeclarationsAsync()
    {
        var declarations = (await _context.RowsAsync("SELECT plugin_unique_identifier, declaration FROM plugin_declarations"))
            .ToDictionary(r => (string)r["plugin_unique_identifier"]!, r => DeclarationReader.Read((string?)r["declaration"]));
        var remoteColumn = _context.Seeder.Schema.HasColumn("plugins", "remote_declaration") ? "remote_declaration" : "declaration";
        foreach (var row in await _context.RowsAsync($"SELECT plugin_unique_identifier, {remoteColumn} AS declaration FROM plugins WHERE install_type = 'remote'"))
        {
            declarations[(string)row["plugin_unique_identifier"]!] = DeclarationReader.Read((string?)row["declaration"]);
        }

        return declarations;
    }
}
