using DbIntegrity.Core.Scanning;

namespace DbIntegrity.Core.Tests.Scanning;

public sealed class SortedSourceTests
{
    [Test]
    public async Task Take_returns_every_item_with_the_key_and_moves_past_them()
    {
        await using var source = await SortedSource<string>.OpenAsync(Items("a", "b", "b", "c"), s => s, "test", CancellationToken.None);

        var a = await source.TakeAsync("a");
        var b = await source.TakeAsync("b");

        Assert.That(a, Is.EqualTo(new[] { "a" }));
        Assert.That(b, Is.EqualTo(new[] { "b", "b" }));
        Assert.That(source.CurrentKey, Is.EqualTo("c"));
    }

    [Test]
    public async Task A_source_out_of_byte_order_stops_the_scan_instead_of_producing_false_findings()
    {
        await using var source = await SortedSource<string>.OpenAsync(Items("b", "a"), s => s, "s3 listing of plugin/", CancellationToken.None);

        var ex = Assert.ThrowsAsync<UnavailableException>(() => source.TakeAsync("b"));

        Assert.That(ex!.Service, Is.EqualTo("storage"));
        Assert.That(ex.Message, Does.Contain("not in UTF-8 byte order"));
    }

    [Test]
    public void Next_key_is_the_smallest_in_byte_order()
    {
        Assert.That(KeyMerge.NextKey("b", null, "a:1", "a"), Is.EqualTo("a"));
        Assert.That(KeyMerge.NextKey(null, null), Is.Null);
    }

    private static async IAsyncEnumerable<string> Items(params string[] items)
    {
        foreach (var item in items)
        {
            await Task.Yield();
            yield return item;
        }
    }
}
