using Azure.Storage.Blobs;
using DbIntegrity.Core;
using DbIntegrity.Core.Configuration;
using DbIntegrity.Core.Storage;
using DbIntegrity.IntegrationTests.Infrastructure;

namespace DbIntegrity.IntegrationTests.Storage;

/// <summary>The store contract on Azurite: the same behaviour the engine relies on from S3.</summary>
[Category("Integration")]
public sealed class AzureBlobObjectStoreTests
{
    [Test]
    public async Task List_pages_through_more_than_one_page_in_key_order_under_the_prefix_only()
    {
        await using var container = await TestContainer.CreateAsync();
        // No "plugin/author/" folder marker here: Azurite drops a trailing '/' from blob names (real Azure keeps it; with a
        // hierarchical namespace, folders list as zero-byte blobs without it, which the engine reports as stray keys).
        var keys = Enumerable.Range(0, 1005).Select(i => $"plugin/author/p{i:D4}:1.0.0@abc").Append("plugin/author").Append("plugin-x/y").Append("other/x").ToList();
        await Parallel.ForEachAsync(keys, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (key, ct) => await container.Store.PutAsync(key, "x"u8.ToArray(), ct));

        var listed = await container.KeysAsync("plugin/");

        var expected = keys.Where(k => k.StartsWith("plugin/", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        Assert.That(listed, Is.EqualTo(expected));
    }

    [Test]
    public async Task List_puts_a_dash_before_a_slash_as_utf8_byte_order_does()
    {
        await using var container = await TestContainer.CreateAsync();
        string[] keys = ["plugin/a/b", "plugin/a-b", "plugin/a.b", "plugin/A", "plugin/a~", "plugin/é"];
        foreach (var key in keys)
        {
            await container.Store.PutAsync(key, "x"u8.ToArray(), CancellationToken.None);
        }

        var listed = await container.KeysAsync("plugin/");

        Assert.That(listed, Is.EqualTo(new[] { "plugin/A", "plugin/a-b", "plugin/a.b", "plugin/a/b", "plugin/a~", "plugin/é" }));
    }

    [Test]
    public async Task Head_returns_null_for_a_missing_key_and_the_listed_metadata_for_a_present_one()
    {
        await using var container = await TestContainer.CreateAsync();
        await container.Store.PutAsync("plugin_packages/a/b:1.0.0@abc", "hello"u8.ToArray(), CancellationToken.None);

        var present = await container.Store.HeadAsync("plugin_packages/a/b:1.0.0@abc", CancellationToken.None);
        var missing = await container.Store.HeadAsync("plugin_packages/a/b:2.0.0@abc", CancellationToken.None);
        var listed = (await container.Store.ListAsync("plugin_packages/", CancellationToken.None).ToListAsync()).Single();

        Assert.That(present?.Size, Is.EqualTo(5));
        Assert.That(missing, Is.Null);
        Assert.That(present!.ETag, Is.Not.Null.And.EqualTo(listed.ETag), "a plan records the listed ETag and compares it with a later HEAD");
        Assert.That(present.LastModified, Is.EqualTo(listed.LastModified));
        Assert.That(await container.Store.OpenReadAsync("plugin_packages/a/b:2.0.0@abc", CancellationToken.None), Is.Null);
    }

    [Test]
    public async Task Content_round_trips_byte_for_byte()
    {
        await using var container = await TestContainer.CreateAsync();
        var content = new byte[70_000];
        Random.Shared.NextBytes(content);
        await container.Store.PutAsync("assets/x.bin", content, CancellationToken.None);

        await using var stream = await container.Store.OpenReadAsync("assets/x.bin", CancellationToken.None);
        using var copy = new MemoryStream();
        await stream!.CopyToAsync(copy);

        Assert.That(copy.ToArray(), Is.EqualTo(content));
    }

    [Test]
    public async Task Copy_works_for_daemon_keys_with_colon_and_at_within_and_across_containers()
    {
        await using var container = await TestContainer.CreateAsync();
        await using var backup = await TestContainer.CreateAsync();
        const string source = "plugin/langgenius/openai:0.2.7@abc";
        await container.Store.PutAsync(source, "package"u8.ToArray(), CancellationToken.None);

        await container.Store.CopyAsync(container.Name, source, "plugin_packages/langgenius/openai:0.2.7@abc", CancellationToken.None);
        await backup.Store.CopyAsync(container.Name, source, source, CancellationToken.None);

        Assert.That(await container.KeysAsync(), Is.EqualTo(new[] { "plugin/langgenius/openai:0.2.7@abc", "plugin_packages/langgenius/openai:0.2.7@abc" }));
        Assert.That(await backup.KeysAsync(), Is.EqualTo(new[] { source }));
    }

    [Test]
    public async Task Put_never_overwrites_an_existing_blob()
    {
        await using var container = await TestContainer.CreateAsync();
        await container.Store.PutAsync("plugin/a/b:1.0.0@abc", "first"u8.ToArray(), CancellationToken.None);

        var ex = Assert.ThrowsAsync<UnavailableException>(async () => await container.Store.PutAsync("plugin/a/b:1.0.0@abc", "second"u8.ToArray(), CancellationToken.None));

        Assert.That(ex!.Message, Does.Contain("already exists").And.Contain(container.Name));
        await using var stream = await container.Store.OpenReadAsync("plugin/a/b:1.0.0@abc", CancellationToken.None);
        using var reader = new StreamReader(stream!);
        Assert.That(await reader.ReadToEndAsync(), Is.EqualTo("first"));
    }

    [Test]
    public async Task Conditional_delete_keeps_a_blob_that_changed_since_it_was_read_and_deletes_an_unchanged_one()
    {
        await using var container = await TestContainer.CreateAsync();
        await container.Store.PutAsync("plugin/a/b:1.0.0@abc", "first"u8.ToArray(), CancellationToken.None);
        var planned = await container.Store.HeadAsync("plugin/a/b:1.0.0@abc", CancellationToken.None);
        await container.Store.DeleteAsync("plugin/a/b:1.0.0@abc", CancellationToken.None);
        await container.Store.PutAsync("plugin/a/b:1.0.0@abc", "second"u8.ToArray(), CancellationToken.None);

        Assert.ThrowsAsync<UnavailableException>(async () => await container.Store.DeleteIfMatchAsync(planned!.Key, planned.ETag, CancellationToken.None));
        var current = await container.Store.HeadAsync("plugin/a/b:1.0.0@abc", CancellationToken.None);
        Assert.That(current, Is.Not.Null, "the changed blob is kept");

        await container.Store.DeleteIfMatchAsync(current!.Key, current.ETag, CancellationToken.None);
        Assert.That(await container.KeysAsync(), Is.Empty);
        Assert.DoesNotThrowAsync(async () => await container.Store.DeleteAsync("plugin/a/b:1.0.0@abc", CancellationToken.None), "deleting a missing blob is not an error");
    }

    [Test]
    public async Task Replace_and_delete_if_unchanged_act_only_on_the_version_that_was_read()
    {
        await using var container = await TestContainer.CreateAsync();
        const string key = "plugin/a/b:1.0.0@abc";
        await container.Store.PutAsync(key, "first"u8.ToArray(), CancellationToken.None);
        var first = (await container.Store.HeadAsync(key, CancellationToken.None))!;

        await container.Store.ReplaceAsync(key, new MemoryStream("second"u8.ToArray()), first, CancellationToken.None);
        var second = (await container.Store.HeadAsync(key, CancellationToken.None))!;

        Assert.That(second.ETag, Is.Not.EqualTo(first.ETag));
        Assert.ThrowsAsync<UnavailableException>(async () => await container.Store.ReplaceAsync(key, new MemoryStream("third"u8.ToArray()), first, CancellationToken.None));
        Assert.That(await container.Store.DeleteIfUnchangedAsync(key, first, CancellationToken.None), Is.False, "a changed blob is kept");
        Assert.That((await container.Store.HeadAsync(key, CancellationToken.None))!.ETag, Is.EqualTo(second.ETag));
        Assert.That(await container.Store.DeleteIfUnchangedAsync(key, second, CancellationToken.None), Is.True);
        Assert.That(await container.KeysAsync(), Is.Empty);
        Assert.That(await container.Store.DeleteIfUnchangedAsync(key, second, CancellationToken.None), Is.True, "already gone");
    }

    [Test]
    public void A_missing_container_fails_closed_and_names_the_variable_instead_of_reading_as_empty()
    {
        var store = AzureBlobObjectStore.Create(AzureBlobSettings.FromDaemonVariables(new SettingsSource(new Dictionary<string, string>
        {
            [AzureBlobSettings.ContainerVariable] = "dbi-missing-" + Guid.NewGuid().ToString("N")[..12],
            [AzureBlobSettings.ConnectionStringVariable] = TestContainer.ConnectionString,
        })));

        var list = Assert.ThrowsAsync<UnavailableException>(async () => await store.ListAsync("plugin/", CancellationToken.None).ToListAsync());
        var head = Assert.ThrowsAsync<UnavailableException>(async () => await store.HeadAsync("plugin/a/b:1.0.0@abc", CancellationToken.None));

        Assert.That(list!.Message, Does.Contain("does not exist").And.Contain(AzureBlobSettings.ContainerVariable));
        Assert.That(head!.Message, Does.Contain("does not exist"));
    }

    [Test]
    public void A_wrong_account_key_fails_closed_without_printing_the_key()
    {
        var wrongKey = Convert.ToBase64String(Enumerable.Repeat((byte)7, 64).ToArray());
        var connectionString = string.Join(';', TestContainer.ConnectionString.Split(';').Select(p =>
            p.StartsWith("AccountKey=", StringComparison.OrdinalIgnoreCase) ? "AccountKey=" + wrongKey : p));
        var store = AzureBlobObjectStore.Create(AzureBlobSettings.FromDaemonVariables(new SettingsSource(new Dictionary<string, string>
        {
            [AzureBlobSettings.ContainerVariable] = "dify-plugins",
            [AzureBlobSettings.ConnectionStringVariable] = connectionString,
        })));

        var ex = Assert.ThrowsAsync<UnavailableException>(async () => await store.ListAsync("plugin/", CancellationToken.None).ToListAsync());

        Assert.That(ex!.Message, Does.Contain("access denied").And.Not.Contain(wrongKey));
        Assert.That(ex.Service, Is.EqualTo("storage"));
    }

    [Test]
    public void An_unreachable_endpoint_fails_closed_naming_the_container_and_endpoint()
    {
        var connectionString = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey="
            + Convert.ToBase64String(new byte[64]) + ";BlobEndpoint=http://127.0.0.1:9/devstoreaccount1;";
        var store = new AzureBlobObjectStore(
            new BlobServiceClient(connectionString, new BlobClientOptions { Retry = { MaxRetries = 0, NetworkTimeout = TimeSpan.FromSeconds(5) } }),
            "dify-plugins");

        var ex = Assert.ThrowsAsync<UnavailableException>(async () => await store.HeadAsync("plugin/a/b:1.0.0@abc", CancellationToken.None));

        Assert.That(ex!.Message, Does.Contain("azure://dify-plugins at http://127.0.0.1:9/devstoreaccount1"));
    }
}
