using DbIntegrity.Core.Scanning;

namespace DbIntegrity.Core.Tests.Scanning;

public sealed class AsyncPrefetchTests
{
    [Test]
    public async Task Buffer_yields_every_item_in_order()
    {
        var items = new List<int>();
        await foreach (var item in AsyncPrefetch.Buffer(Range(500), 16, CancellationToken.None))
        {
            items.Add(item);
        }

        Assert.That(items, Is.EqualTo(Enumerable.Range(0, 500)));
    }

    [Test]
    public void A_producer_failure_reaches_the_consumer()
    {
        Assert.ThrowsAsync<UnavailableException>(async () =>
        {
            await foreach (var _ in AsyncPrefetch.Buffer(Failing(), 4, CancellationToken.None))
            {
            }
        });
    }

    private static async IAsyncEnumerable<int> Range(int count)
    {
        for (var i = 0; i < count; i++)
        {
            await Task.Yield();
            yield return i;
        }
    }

    private static async IAsyncEnumerable<int> Failing()
    {
        yield return 1;
        await Task.Yield();
        throw new UnavailableException("storage", "listing failed half way");
    }
}
