using DbIntegrity.Core.Storage;
using DbIntegrity.IntegrationTests.Infrastructure;

namespace DbIntegrity.IntegrationTests.Storage;

[Category("Integration")]
public sealed class S3ObjectStoreTests
{
    [Test]
    public async Task List_pages_through_more_than_one_page_in_key_order_including_folder_markers()
    {
        await using var bucket = await TestBucket.CreateAsync();
        var keys = Enumerable.Range(0, 1005).Select(i => $"plugin/author/p{i:D4}:1.0.0@abc").Append("plugin/").Append("plugin/author/").Append("other/x").ToList();
        await Parallel.ForEachAsync(keys, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (key, ct) => await bucket.Store.PutAsync(key, "x"u8.ToArray(), ct));

        var listed = await bucket.KeysAsync("plugin/");

        var expected = keys.Where(k => k.StartsWith("plugin/", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        Assert.That(listed, Is.EqualTo(expected));
    }

    [Test]
    public async Task A_store_for_a_cloud_whose_daemon_client_skips_folder_markers_leaves_them_out_too()
    {
        await using var bucket = await TestBucket.CreateAsync();
        foreach (var key in new[] { "plugin/", "plugin/author/", "plugin/author/p:1.0.0@abc" })
        {
            await bucket.Store.PutAsync(key, key.EndsWith('/') ? [] : "x"u8.ToArray(), CancellationToken.None);
        }

        using var aliyunLike = S3ObjectStore.Create(bucket.Settings with { S3 = bucket.Settings.RequireS3() with { ListingSkipsFolderMarkers = true } });
        var listed = new List<string>();
        await foreach (var entry in aliyunLike.ListAsync("plugin/", CancellationToken.None))
        {
            listed.Add(entry.Key);
        }

        Assert.That(listed, Is.EqualTo(new[] { "plugin/author/p:1.0.0@abc" }));
        Assert.That(await bucket.KeysAsync("plugin/"), Has.Count.EqualTo(3), "the plain S3 store lists them, as the daemon's S3 client does");
    }

    [Test]
    public async Task Head_returns_null_for_a_missing_key_and_metadata_for_a_present_one()
    {
        await using var bucket = await TestBucket.CreateAsync();
        await bucket.Store.PutAsync("plugin_packages/a/b:1.0.0@abc", "hello"u8.ToArray(), CancellationToken.None);

        var present = await bucket.Store.HeadAsync("plugin_packages/a/b:1.0.0@abc", CancellationToken.None);
        var missing = await bucket.Store.HeadAsync("plugin_packages/a/b:2.0.0@abc", CancellationToken.None);

        Assert.That(present?.Size, Is.EqualTo(5));
        Assert.That(missing, Is.Null);
    }

    [Test]
    public async Task Content_round_trips_byte_for_byte()
    {
        await using var bucket = await TestBucket.CreateAsync();
        var content = new byte[70_000];
        Random.Shared.NextBytes(content);
        await bucket.Store.PutAsync("assets/x.bin", content, CancellationToken.None);

        await using var stream = await bucket.Store.OpenReadAsync("assets/x.bin", CancellationToken.None);
        using var copy = new MemoryStream();
        await stream!.CopyToAsync(copy);

        Assert.That(copy.ToArray(), Is.EqualTo(content));
    }

    [Test]
    public async Task Copy_works_for_daemon_keys_with_colon_and_at()
    {
        await using var bucket = await TestBucket.CreateAsync();
        const string source = "plugin/langgenius/openai:0.2.7@abc";
        await bucket.Store.PutAsync(source, "package"u8.ToArray(), CancellationToken.None);

        await bucket.Store.CopyAsync(bucket.Name, source, "plugin_packages/langgenius/openai:0.2.7@abc", CancellationToken.None);

        Assert.That(await bucket.KeysAsync(), Is.EqualTo(new[] { "plugin/langgenius/openai:0.2.7@abc", "plugin_packages/langgenius/openai:0.2.7@abc" }));
    }
}
