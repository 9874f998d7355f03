using DbIntegrity.IntegrationTests.Infrastructure;

namespace DbIntegrity.IntegrationTests.Checking;

/// <summary>
/// What only one kind of store can hold: S3 folder markers (keys ending in "/"), and on a local folder empty folders,
/// dot-names and the daemon's working folders. The rules must treat them as the daemon's listing does (docs/daemon/storage.md#listing, docs/daemon/storage.md#stores).
/// </summary>
[Category("Integration")]
[Parallelizable(ParallelScope.All)]
public sealed class StoreSpecificRuleTests
{
    [Test]
    public async Task Folder_markers_under_plugin_are_installed_key_invalid()
    {
        await using var d = await DeploymentUnderTest.CreateAsync(store: TestStoreKind.S3);
        await d.Bucket.Store.PutAsync("plugin/", ReadOnlyMemory<byte>.Empty, CancellationToken.None);
        await d.Bucket.Store.PutAsync("plugin/langgenius/", ReadOnlyMemory<byte>.Empty, CancellationToken.None);

        var report = await d.ScanAsync();

        Assert.That(DeploymentUnderTest.Problems(report), Is.EquivalentTo(new Dictionary<string, int> { ["installed-key-invalid"] = 2 }));
        Assert.That(report.Findings.Where(f => f.Rule == "installed-key-invalid").Select(f => f.ObjectKey), Is.EquivalentTo(new[] { "plugin/", "plugin/langgenius/" }));
    }

    [Test]
    public async Task On_local_storage_empty_folders_and_top_level_dot_names_are_skipped_but_a_nested_DS_Store_is_installed_key_invalid()
    {
        await using var d = await DeploymentUnderTest.CreateAsync(store: TestStoreKind.Local);
        Directory.CreateDirectory(Path.Combine(d.Bucket.Root, "plugin", "empty-author"));
        await d.Bucket.Store.PutAsync("plugin/.DS_Store", "finder"u8.ToArray(), CancellationToken.None);
        await d.Bucket.Store.PutAsync("plugin/langgenius/.DS_Store", "finder"u8.ToArray(), CancellationToken.None);

        var report = await d.ScanAsync();

        Assert.That(DeploymentUnderTest.Problems(report), Is.EquivalentTo(new Dictionary<string, int> { ["installed-key-invalid"] = 1 }));
        Assert.That(report.Findings.Single(f => f.Rule == "installed-key-invalid").ObjectKey, Is.EqualTo("plugin/langgenius/.DS_Store"));
    }

    [Test]
    public async Task On_local_storage_the_working_folders_and_persistence_are_never_reported_even_when_they_hold_package_like_files()
    {
        await using var d = await DeploymentUnderTest.CreateAsync(store: TestStoreKind.Local);
        var google = d.Deployment.Installations.First(i => i.InstalledKey is not null);
        foreach (var key in new[] { "cwd/" + google.InstalledKey, "persistence/" + google.PackageKey, "cwd/plugin/junk" })
        {
            await d.Bucket.Store.PutAsync(key, "not the daemon's object"u8.ToArray(), CancellationToken.None);
        }

        var report = await d.ScanAsync(deep: true);

        Assert.That(DeploymentUnderTest.Problems(report), Is.Empty);
        Assert.That(report.Findings.Where(f => f.ObjectKey is { } key && (key.StartsWith("cwd/", StringComparison.Ordinal) || key.StartsWith("persistence/", StringComparison.Ordinal))), Is.Empty);
    }

    [Test]
    public async Task On_local_storage_a_missing_root_fails_the_scan_closed_never_reports_everything_missing()
    {
        await using var d = await DeploymentUnderTest.CreateAsync(store: TestStoreKind.Local);
        Directory.Move(d.Bucket.Root, d.Bucket.Root + "-moved");
        try
        {
            var report = await d.ScanAsync();

            Assert.That(report.Status, Is.EqualTo(Core.Reporting.ScanStatus.Incomplete));
            Assert.That(report.IncompleteReason, Does.Contain("does not exist").And.Contain("PLUGIN_STORAGE_LOCAL_ROOT"));
        }
        finally
        {
            Directory.Move(d.Bucket.Root + "-moved", d.Bucket.Root);
        }
    }
}
