using DbIntegrity.Core;
using DbIntegrity.Core.Storage;
using DbIntegrity.IntegrationTests.Infrastructure;

namespace DbIntegrity.IntegrationTests.Storage;

/// <summary>The proxy the least-privilege and fail-closed tests stand on must itself behave.</summary>
[Category("Integration")]
public sealed class S3ProxyTests
{
    [Test]
    public async Task A_read_only_proxy_passes_reads_and_refuses_writes_like_a_read_only_policy()
    {
        await using var bucket = await TestBucket.CreateAsync();
        await bucket.Store.PutAsync("plugin/a", "x"u8.ToArray(), CancellationToken.None);
        await using var proxy = S3Proxy.Start(TestServices.Environment.Get("S3_ENDPOINT")!);
        proxy.ReadOnly = true;
        using var store = S3ObjectStore.Create(bucket.Settings with { S3 = bucket.Settings.RequireS3() with { Endpoint = proxy.Endpoint } });

        var listed = new List<string>();
        await foreach (var entry in store.ListAsync("plugin/", CancellationToken.None))
        {
            listed.Add(entry.Key);
        }

        var head = await store.HeadAsync("plugin/a", CancellationToken.None);
        var write = Assert.ThrowsAsync<UnavailableException>(() => store.PutAsync("plugin/b", "y"u8.ToArray(), CancellationToken.None));

        Assert.That(listed, Is.EqualTo(new[] { "plugin/a" }));
        Assert.That(head?.Size, Is.EqualTo(1));
        Assert.That(write!.Message, Does.Contain("access denied"));
        Assert.That(await bucket.KeysAsync(), Is.EqualTo(new[] { "plugin/a" }));
    }

    [Test]
    public async Task A_failing_proxy_makes_the_store_throw_unavailable_never_return_partial_results()
    {
        await using var bucket = await TestBucket.CreateAsync();
        await using var proxy = S3Proxy.Start(TestServices.Environment.Get("S3_ENDPOINT")!);
        proxy.FailAfter = 0;
        using var store = S3ObjectStore.Create(bucket.Settings with { S3 = bucket.Settings.RequireS3() with { Endpoint = proxy.Endpoint }, RequestTimeout = TimeSpan.FromSeconds(10) });

        var ex = Assert.ThrowsAsync<UnavailableException>(async () =>
        {
            await foreach (var _ in store.ListAsync("plugin/", CancellationToken.None))
            {
            }
        });

        Assert.That(ex!.Service, Is.EqualTo("storage"));
    }
}
