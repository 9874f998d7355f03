using DbIntegrity.Core;
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

    [Test]
    public async Task A_put_if_absent_never_replaces_an_object_that_exists()
    {
        await using var bucket = await TestBucket.CreateAsync();
        const string key = "plugin_packages/a/b:1.0.0@abc";

        var first = await bucket.Store.PutAsync(key, new MemoryStream("daemon"u8.ToArray()), WriteCondition.Absent, CancellationToken.None);
        var second = await bucket.Store.PutAsync(key, new MemoryStream("restore"u8.ToArray()), WriteCondition.Absent, CancellationToken.None);

        Assert.That((first, second), Is.EqualTo((true, false)));
        Assert.That(await ContentAsync(bucket, key), Is.EqualTo("daemon"));
    }

    [Test]
    public async Task A_put_if_matching_replaces_only_the_object_with_that_etag()
    {
        await using var bucket = await TestBucket.CreateAsync();
        const string key = "plugin_packages/a/b:1.0.0@abc";
        await bucket.Store.PutAsync(key, "planned"u8.ToArray(), CancellationToken.None);
        var planned = (await bucket.Store.HeadAsync(key, CancellationToken.None))!;
        await bucket.Store.PutAsync(key, "rewritten by the daemon"u8.ToArray(), CancellationToken.None);

        var stale = await bucket.Store.PutAsync(key, new MemoryStream("repair"u8.ToArray()), WriteCondition.Matching(planned.ETag!), CancellationToken.None);
        var current = (await bucket.Store.HeadAsync(key, CancellationToken.None))!;
        var matching = await bucket.Store.PutAsync(key, new MemoryStream("repair"u8.ToArray()), WriteCondition.Matching(current.ETag!), CancellationToken.None);
        var gone = await bucket.Store.PutAsync("plugin_packages/a/b:2.0.0@abc", new MemoryStream("repair"u8.ToArray()), WriteCondition.Matching(current.ETag!), CancellationToken.None);

        Assert.That((stale, matching, gone), Is.EqualTo((false, true, false)));
        Assert.That(await ContentAsync(bucket, key), Is.EqualTo("repair"));
        Assert.That(await bucket.KeysAsync(), Is.EqualTo(new[] { key }));
    }

    [Test]
    public async Task Under_the_documented_read_only_policy_a_missing_key_is_missing_and_a_present_one_present()
    {
        await using var bucket = await TestBucket.CreateAsync();
        await bucket.Store.PutAsync("plugin_packages/a/b:1.0.0@abc", "hello"u8.ToArray(), CancellationToken.None);
        await bucket.Store.PutAsync("plugin_packages/a/b:1.0.0@abcd", "longer key"u8.ToArray(), CancellationToken.None);
        var policy = await DocumentedPolicy.ApplyAsync(bucket, DocumentedPolicy.Check);
        using var client = policy.GuestClient(bucket);
        var store = new S3ObjectStore(client, bucket.Name, "guest");

        var present = await store.HeadAsync("plugin_packages/a/b:1.0.0@abc", CancellationToken.None);
        var missing = await store.HeadAsync("plugin_packages/a/b:1.0.0@ab", CancellationToken.None);
        var missingRead = await store.OpenReadAsync("plugin_packages/a/b:2.0.0@abc", CancellationToken.None);

        Assert.That(present?.Size, Is.EqualTo(5));
        Assert.That(missing, Is.Null, "a key that only prefixes another is missing");
        Assert.That(missingRead, Is.Null);
    }

    [Test]
    public async Task Outside_the_documented_policy_a_head_is_access_denied_never_missing()
    {
        await using var bucket = await TestBucket.CreateAsync();
        var policy = await DocumentedPolicy.ApplyAsync(bucket, DocumentedPolicy.Check);
        using var client = policy.GuestClient(bucket);
        var store = new S3ObjectStore(client, bucket.Name, "guest");

        var denied = Assert.ThrowsAsync<UnavailableException>(async () => await store.HeadAsync("persistence/x", CancellationToken.None));

        Assert.That(denied!.Message, Does.Contain("HEAD s3://").And.Contain("access denied").And.Contain("s3:ListBucket and s3:GetObject"));
    }

    private static async Task<string> ContentAsync(TestBucket bucket, string key)
    {
        await using var stream = await bucket.Store.OpenReadAsync(key, CancellationToken.None);
        using var reader = new StreamReader(stream!);
        return await reader.ReadToEndAsync();
    }
}
