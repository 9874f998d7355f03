using System.Text.Json.Nodes;
using DbIntegrity.Core.Deployments;
using DbIntegrity.Core.Packages;
using DbIntegrity.Core.Plugins;
using DbIntegrity.Simulator.Packages;
using DbIntegrity.Simulator.Seeding;

namespace DbIntegrity.IntegrationTests.Seeding;

[Category("Integration")]
public sealed class DeploymentSeederTests
{
    private static readonly Guid TenantA = new("0190d5a1-0000-7000-8000-00000000000a");
    private static readonly Guid TenantB = new("0190d5a1-0000-7000-8000-00000000000b");

    [Test]
    public async Task Upload_writes_the_package_its_assets_and_the_declaration_row_once()
    {
        await using var context = await SeedingContext.CreateAsync();
        var package = PackageBuilder.Build(new PackageSpec("langgenius", "openai", "0.2.7", PluginCategory.Model));

        var first = await context.Seeder.UploadAsync(package, CancellationToken.None);
        var second = await context.Seeder.UploadAsync(package, CancellationToken.None);

        var declarations = await context.RowsAsync("SELECT id, plugin_id, declaration FROM plugin_declarations");
        Assert.Multiple(async () =>
        {
            Assert.That(first.DeclarationCreated, Is.True);
            Assert.That(second.DeclarationCreated, Is.False);
            Assert.That(second.DeclarationId, Is.EqualTo(first.DeclarationId));
            Assert.That(declarations, Has.Count.EqualTo(1));
            Assert.That(declarations[0]["plugin_id"], Is.EqualTo("langgenius/openai"));
            Assert.That(declarations[0]["declaration"], Is.EqualTo(package.Declaration));
            Assert.That(await context.ObjectAsync($"plugin_packages/{package.Identifier}"), Is.EqualTo(package.Bytes));
            Assert.That(first.AssetKeys, Is.EquivalentTo(package.Assets.Keys.Select(id => $"assets/{id}")));
            Assert.That(await context.Bucket.KeysAsync(), Is.EquivalentTo(first.AssetKeys.Append(first.PackageKey)), "nothing under plugin/ before install");
        });
    }

    [Test]
    public async Task Install_copies_the_package_to_plugin_and_writes_the_daemon_rows()
    {
        await using var context = await SeedingContext.CreateAsync();
        var package = PackageBuilder.Build(new PackageSpec("langgenius", "google", "0.0.9", PluginCategory.Tool) { Provider = "google_search" });
        await context.Seeder.UploadAsync(package, CancellationToken.None);

        var a = await context.Seeder.InstallAsync(TenantA, package, CancellationToken.None);
        var b = await context.Seeder.InstallAsync(TenantB, package, "package", CancellationToken.None);

        var plugins = await context.RowsAsync("SELECT * FROM plugins");
        var installations = await context.RowsAsync("SELECT * FROM plugin_installations ORDER BY tenant_id");
        var tools = await context.RowsAsync("SELECT * FROM tool_installations ORDER BY tenant_id");
        Assert.Multiple(async () =>
        {
            Assert.That(a.PluginRowId, Is.EqualTo(b.PluginRowId), "one plugins row per identifier, shared by tenants");
            Assert.That(plugins, Has.Count.EqualTo(1));
            Assert.That(plugins[0]["refers"], Is.EqualTo(2L));
            Assert.That(plugins[0]["install_type"], Is.EqualTo("local"));
            Assert.That(plugins[0]["manifest_type"], Is.EqualTo(string.Empty));
            Assert.That(plugins[0]["plugin_id"], Is.EqualTo("langgenius/google"));
            Assert.That(plugins[0]["source"], Is.EqualTo("marketplace"));
            Assert.That(JsonNode.Parse((string)plugins[0]["remote_declaration"]!)!["name"]!.GetValue<string>(), Is.Empty, "an empty declaration for local plugins");
            Assert.That(installations.Select(i => i["id"]), Is.EqualTo(new object[] { a.InstallationId, b.InstallationId }));
            Assert.That(installations.Select(i => i["source"]), Is.EqualTo(new[] { "marketplace", "package" }));
            Assert.That(installations[0]["meta"], Is.EqualTo($"{{\"plugin_unique_identifier\":\"{package.Identifier}\"}}"));
            Assert.That(installations[1]["meta"], Is.EqualTo("{}"));
            Assert.That(installations[0]["runtime_type"], Is.EqualTo("local"));
            Assert.That(tools.Select(t => t["provider"]), Is.EqualTo(new[] { "google_search", "google_search" }));
            Assert.That(tools.Select(t => t["id"]), Is.EqualTo(new object?[] { a.CategoryRow!.Id, b.CategoryRow!.Id }));
            Assert.That(tools[0]["plugin_unique_identifier"], Is.EqualTo(package.Identifier.Value));
            Assert.That(await context.ObjectAsync($"plugin/{package.Identifier}"), Is.EqualTo(package.Bytes));
            Assert.That(a.InstalledKey, Is.EqualTo($"plugin/{package.Identifier}"));
        });
    }

    [Test]
    public async Task Installing_a_plugin_twice_for_a_tenant_is_refused_like_the_daemon_does()
    {
        await using var context = await SeedingContext.CreateAsync();
        var package = PackageBuilder.Build(new PackageSpec("langgenius", "google", "0.0.9", PluginCategory.Tool));
        await context.Seeder.UploadAsync(package, CancellationToken.None);
        await context.Seeder.InstallAsync(TenantA, package, CancellationToken.None);

        Assert.That(() => context.Seeder.InstallAsync(TenantA, package, CancellationToken.None),
            Throws.InvalidOperationException.With.Message.Contains("UpgradeAsync"));
        Assert.That(await context.CountAsync("plugin_installations"), Is.EqualTo(1), "the failed install rolled back");
    }

    [Test]
    public async Task An_extension_gets_no_category_row_and_endpoints_count_on_its_installation()
    {
        await using var context = await SeedingContext.CreateAsync();
        var package = PackageBuilder.Build(new PackageSpec("langgenius", "webhook", "0.0.3", PluginCategory.Extension));
        await context.Seeder.UploadAsync(package, CancellationToken.None);
        var installation = await context.Seeder.InstallAsync(TenantA, package, CancellationToken.None);

        var first = await context.Seeder.AddEndpointAsync(installation, "default", CancellationToken.None);
        var second = await context.Seeder.AddEndpointAsync(TenantA, package, "staging", CancellationToken.None);

        var endpoints = await context.RowsAsync("SELECT * FROM endpoints ORDER BY name");
        var counters = (await context.RowsAsync("SELECT endpoints_setups, endpoints_active FROM plugin_installations"))[0];
        Assert.Multiple(async () =>
        {
            Assert.That(installation.CategoryRow, Is.Null);
            foreach (var table in new[] { "tool_installations", "ai_model_installations", "agent_strategy_installations", "datasource_installations", "trigger_installations" })
            {
                Assert.That(await context.CountAsync(table), Is.Zero, table);
            }

            Assert.That(endpoints.Select(e => e["id"]), Is.EqualTo(new object[] { first.Id, second.Id }));
            Assert.That(endpoints.Select(e => e["hook_id"]), Is.All.Matches<string>(h => h.Length == 16 && h.All(char.IsAsciiLetterLower)));
            Assert.That(endpoints[0]["hook_id"], Is.Not.EqualTo(endpoints[1]["hook_id"]));
            Assert.That(endpoints[0]["tenant_id"], Is.EqualTo(TenantA.ToString()), "endpoints.tenant_id is varchar(64)");
            Assert.That(endpoints[0]["plugin_id"], Is.EqualTo("langgenius/webhook"));
            Assert.That(endpoints[0]["enabled"], Is.True);
            Assert.That(endpoints[0]["settings"], Is.EqualTo("{}"));
            Assert.That(endpoints[0]["expired_at"], Is.EqualTo(new DateTime(2050, 1, 1, 0, 0, 0, DateTimeKind.Utc)));
            Assert.That(counters["endpoints_setups"], Is.EqualTo(2L));
            Assert.That(counters["endpoints_active"], Is.EqualTo(2L));
        });
    }

    [Test]
    public async Task Endpoints_for_a_plugin_without_an_endpoint_block_are_refused()
    {
        await using var context = await SeedingContext.CreateAsync();
        var package = PackageBuilder.Build(new PackageSpec("langgenius", "openai", "0.2.7", PluginCategory.Model));

        Assert.That(() => context.Seeder.AddEndpointAsync(TenantA, package, "default", CancellationToken.None),
            Throws.ArgumentException.With.Message.Contains("declares no endpoints"));
    }

    [Test]
    public async Task A_serverless_install_has_a_runtime_row_and_no_installed_object()
    {
        await using var context = await SeedingContext.CreateAsync();
        var package = PackageBuilder.Build(new PackageSpec("langgenius", "jina", "0.0.4", PluginCategory.Tool));
        await context.Seeder.UploadAsync(package, CancellationToken.None);

        var installation = await context.Seeder.InstallServerlessAsync(TenantA, package, CancellationToken.None);

        var runtimes = await context.RowsAsync("SELECT * FROM serverless_runtimes");
        Assert.Multiple(async () =>
        {
            Assert.That(installation.InstalledKey, Is.Null);
            Assert.That(await context.Bucket.KeysAsync("plugin/"), Is.Empty);
            Assert.That(runtimes, Has.Count.EqualTo(1));
            Assert.That(runtimes[0]["id"], Is.EqualTo(installation.ServerlessRuntimeId));
            Assert.That(runtimes[0]["checksum"], Is.EqualTo(package.Identifier.Checksum));
            Assert.That(runtimes[0]["type"], Is.EqualTo("serverless"));
            Assert.That((await context.RowsAsync("SELECT install_type FROM plugins"))[0]["install_type"], Is.EqualTo("serverless"));
            Assert.That((await context.RowsAsync("SELECT runtime_type FROM plugin_installations"))[0]["runtime_type"], Is.EqualTo("serverless"));
        });
    }

    [Test]
    public async Task A_remote_install_keeps_its_declaration_on_the_plugins_row_and_has_no_package_objects()
    {
        await using var context = await SeedingContext.CreateAsync();
        var package = PackageBuilder.Build(new PackageSpec("someone", "debug_tool", "0.0.1", PluginCategory.Tool));

        var installation = await context.Seeder.InstallRemoteAsync(TenantB, package, CancellationToken.None);

        var plugin = (await context.RowsAsync("SELECT * FROM plugins"))[0];
        var expectedChecksum = RemotePluginChecksum.Compute(package.Declaration, TenantB.ToString());
        Assert.Multiple(async () =>
        {
            Assert.That(installation.Identifier.Value, Is.EqualTo($"{TenantB}/debug_tool:0.0.1@{expectedChecksum}"));
            Assert.That(installation.PluginId, Is.EqualTo($"{TenantB}/debug_tool"));
            Assert.That(plugin["install_type"], Is.EqualTo("remote"));
            Assert.That(plugin["remote_declaration"], Is.EqualTo(package.Declaration));
            Assert.That(await context.CountAsync("plugin_declarations"), Is.Zero);
            Assert.That(await context.Bucket.KeysAsync(), Is.EquivalentTo(package.Assets.Keys.Select(id => $"assets/{id}")), "icons only");
            Assert.That((await context.RowsAsync("SELECT source, runtime_type FROM plugin_installations"))[0].Values, Is.EqualTo(new[] { "remote", "remote" }));
            Assert.That((await context.RowsAsync("SELECT plugin_id FROM tool_installations"))[0]["plugin_id"], Is.EqualTo($"{TenantB}/debug_tool"));
        });
    }

    [Test]
    public async Task Upgrade_moves_the_refer_and_removes_the_old_version_when_nobody_uses_it()
    {
        await using var context = await SeedingContext.CreateAsync();
        var v1 = PackageBuilder.Build(new PackageSpec("langgenius", "openai", "0.2.6", PluginCategory.Model));
        var v2 = PackageBuilder.Build(new PackageSpec("langgenius", "openai", "0.2.7", PluginCategory.Model));
        await context.Seeder.UploadAsync(v1, CancellationToken.None);
        await context.Seeder.UploadAsync(v2, CancellationToken.None);
        var a = await context.Seeder.InstallAsync(TenantA, v1, CancellationToken.None);
        var b = await context.Seeder.InstallAsync(TenantB, v1, CancellationToken.None);

        var aUpgraded = await context.Seeder.UpgradeAsync(a, v2, CancellationToken.None);
        var refersAfterFirst = await RefersAsync(context);
        await context.Seeder.UpgradeAsync(b, v2, CancellationToken.None);

        Assert.Multiple(async () =>
        {
            Assert.That(aUpgraded.InstallationId, Is.EqualTo(a.InstallationId), "the installation row is repointed, not replaced");
            Assert.That(refersAfterFirst, Is.EqualTo(new Dictionary<string, long> { [v1.Identifier.Value] = 1, [v2.Identifier.Value] = 1 }));
            Assert.That(await RefersAsync(context), Is.EqualTo(new Dictionary<string, long> { [v2.Identifier.Value] = 2 }));
            Assert.That((await context.RowsAsync("SELECT manifest_type FROM plugins"))[0]["manifest_type"], Is.EqualTo("plugin"), "UpgradePlugin sets it");
            Assert.That(await context.Bucket.KeysAsync("plugin/"), Is.EqualTo(new[] { $"plugin/{v2.Identifier}" }));
            Assert.That(await context.Bucket.KeysAsync("plugin_packages/"), Has.Count.EqualTo(2), "packages stay");
            Assert.That((await context.RowsAsync("SELECT plugin_unique_identifier FROM ai_model_installations")).Select(r => r["plugin_unique_identifier"]),
                Is.EqualTo(new[] { v2.Identifier.Value, v2.Identifier.Value }));
            Assert.That(await context.CountAsync("plugin_declarations"), Is.EqualTo(2), "declarations stay (daemons before 0.6.2)");
        });
    }

    [Test]
    public async Task Uninstall_deletes_plugin_object_only_with_the_last_refer_and_leaves_endpoints()
    {
        await using var context = await SeedingContext.CreateAsync();
        var package = PackageBuilder.Build(new PackageSpec("langgenius", "slack", "0.1.0", PluginCategory.Tool) { WithEndpoints = true });
        await context.Seeder.UploadAsync(package, CancellationToken.None);
        var a = await context.Seeder.InstallAsync(TenantA, package, CancellationToken.None);
        var b = await context.Seeder.InstallAsync(TenantB, package, CancellationToken.None);
        await context.Seeder.AddEndpointAsync(a, "default", CancellationToken.None);

        var first = await context.Seeder.UninstallAsync(a, CancellationToken.None);
        var last = await context.Seeder.UninstallAsync(b, CancellationToken.None);

        Assert.Multiple(async () =>
        {
            Assert.That(first, Is.EqualTo(new SeededUninstall(false, null)));
            Assert.That(last, Is.EqualTo(new SeededUninstall(true, $"plugin/{package.Identifier}")));
            Assert.That(await context.CountAsync("plugins"), Is.Zero);
            Assert.That(await context.CountAsync("plugin_installations"), Is.Zero);
            Assert.That(await context.CountAsync("tool_installations"), Is.Zero);
            Assert.That(await context.CountAsync("endpoints"), Is.EqualTo(1), "the daemon's uninstall leaves endpoints (docs/daemon/database.md#invariants item 6)");
            Assert.That(await context.CountAsync("plugin_declarations"), Is.EqualTo(1));
            Assert.That(await context.Bucket.KeysAsync("plugin/"), Is.Empty);
            Assert.That(await context.Bucket.KeysAsync("plugin_packages/"), Has.Count.EqualTo(1));
        });
    }

    [Test]
    public async Task With_062_behaviour_the_last_uninstall_also_deletes_the_declaration()
    {
        await using var context = await SeedingContext.CreateAsync(options: new SeederOptions { DeleteDeclarationOnLastUninstall = true });
        var package = PackageBuilder.Build(new PackageSpec("langgenius", "google", "0.0.9", PluginCategory.Tool));
        await context.Seeder.UploadAsync(package, CancellationToken.None);
        var installation = await context.Seeder.InstallAsync(TenantA, package, CancellationToken.None);

        await context.Seeder.UninstallAsync(installation, CancellationToken.None);

        Assert.That(await context.CountAsync("plugin_declarations"), Is.Zero);
    }

    [Test]
    public async Task Rows_are_stamped_row_age_before_the_clock()
    {
        var now = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
        await using var context = await SeedingContext.CreateAsync(options: new SeederOptions { TimeProvider = new FixedClock(now) });
        var package = PackageBuilder.Build(new PackageSpec("langgenius", "google", "0.0.9", PluginCategory.Tool));

        await context.Seeder.UploadAsync(package, CancellationToken.None);
        var young = await context.Seeder.WithOptions(context.Seeder.Options with { RowAge = TimeSpan.Zero }).InstallAsync(TenantA, package, CancellationToken.None);

        var declaration = (await context.RowsAsync("SELECT id, created_at, updated_at FROM plugin_declarations"))[0];
        var installation = (await context.RowsAsync("SELECT created_at FROM plugin_installations"))[0];
        Assert.Multiple(() =>
        {
            Assert.That(declaration["created_at"], Is.EqualTo(now.AddHours(-1).UtcDateTime));
            Assert.That(declaration["updated_at"], Is.EqualTo(now.AddHours(-1).UtcDateTime));
            Assert.That(((Guid)declaration["id"]!).Version, Is.EqualTo(7));
            Assert.That(installation["created_at"], Is.EqualTo(now.UtcDateTime));
            Assert.That(young.InstallationId.Version, Is.EqualTo(7));
        });
    }

    [Test]
    public async Task Readmes_and_a_failed_install_task_are_written_as_the_daemon_keeps_them()
    {
        await using var context = await SeedingContext.CreateAsync();
        var package = PackageBuilder.Build(new PackageSpec("langgenius", "google", "0.0.9", PluginCategory.Tool)
        {
            TranslatedReadmes = new Dictionary<string, string> { ["zh_Hans"] = "# 谷歌\n" },
        });

        var readmes = await context.Seeder.AddReadmesAsync(package, CancellationToken.None);
        var task = await context.Seeder.AddInstallTaskAsync(TenantA, InstallTaskStatus.Failed, [package], CancellationToken.None);

        var rows = await context.RowsAsync("SELECT language, content FROM plugin_readme_records ORDER BY language");
        var taskRow = (await context.RowsAsync("SELECT * FROM install_tasks"))[0];
        var items = JsonNode.Parse((string)taskRow["plugins"]!)!.AsArray();
        Assert.Multiple(() =>
        {
            Assert.That(readmes.Select(r => r.Language), Is.EqualTo(new[] { "en_US", "zh_Hans" }));
            Assert.That(rows[1]["content"], Is.EqualTo("# 谷歌\n"));
            Assert.That(taskRow["id"], Is.EqualTo(task.Id));
            Assert.That(taskRow["status"], Is.EqualTo("failed"));
            Assert.That(taskRow["total_plugins"], Is.EqualTo(1L));
            Assert.That(items[0]!["plugin_unique_identifier"]!.GetValue<string>(), Is.EqualTo(package.Identifier.Value));
            Assert.That(items[0]!["icon"]!.GetValue<string>(), Is.AnyOf(package.Assets.Keys.ToArray()), "task icons are asset ids (docs/daemon/packages.md#declaration)");
        });
    }

    [Test]
    public async Task On_a_001_schema_the_legacy_declaration_columns_are_filled_as_that_daemon_did()
    {
        await using var context = await SeedingContext.CreateAsync(DaemonSchema.Oldest);
        var tool = PackageBuilder.Build(new PackageSpec("langgenius", "google", "0.0.9", PluginCategory.Tool));
        await context.Seeder.UploadAsync(tool, CancellationToken.None);

        await context.Seeder.InstallAsync(TenantA, tool, CancellationToken.None);
        await context.Seeder.InstallServerlessAsync(TenantB, tool, CancellationToken.None);

        var plugin = (await context.RowsAsync("SELECT * FROM plugins"))[0];
        var category = (await context.RowsAsync("SELECT declaration FROM tool_installations"))[0];
        var runtime = (await context.RowsAsync("SELECT declaration FROM serverless_runtimes"))[0];
        Assert.Multiple(() =>
        {
            Assert.That(plugin.ContainsKey("remote_declaration"), Is.False, "0.0.1 has no remote_declaration");
            Assert.That(plugin["declaration"], Is.EqualTo(tool.Declaration));
            Assert.That(JsonNode.Parse((string)category["declaration"]!)!["identity"]!["name"]!.GetValue<string>(), Is.EqualTo("google"), "the tool provider block");
            Assert.That(runtime["declaration"], Is.EqualTo(tool.Declaration));
            Assert.That(((Guid)plugin["id"]!).Version, Is.EqualTo(7), "ids are set by the seeder, not the column default");
        });
    }

    [Test]
    public async Task Create_refuses_a_database_without_daemon_tables_and_says_to_migrate()
    {
        await using var database = await Infrastructure.TestDatabase.CreateAsync();
        await using var bucket = await Infrastructure.TestBucket.CreateAsync();

        Assert.That(() => DeploymentSeeder.CreateAsync(new Deployment(database.DataSource, bucket.Store, Core.Configuration.StorageLayout.Default), CancellationToken.None),
            Throws.InvalidOperationException.With.Message.Contains("Run the migrations first"));
    }

    private static async Task<Dictionary<string, long>> RefersAsync(SeedingContext context) =>
        (await context.RowsAsync("SELECT plugin_unique_identifier, refers FROM plugins"))
        .ToDictionary(r => (string)r["plugin_unique_identifier"]!, r => (long)r["refers"]!);

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
