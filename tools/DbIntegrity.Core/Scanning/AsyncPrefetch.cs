using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace DbIntegrity.Core.Scanning;

/// <summary>
/// Reads ahead of a consumer through a bounded buffer, so the next S3 page downloads while the merge works on this
/// one. Memory stays bounded by the capacity; a failure of the producer surfaces at the consumer.
/// </summary>
internal static class AsyncPrefetch
{
    public static async IAsyncEnumerable<T> Buffer<T>(IAsyncEnumerable<T> source, int capacity, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = Channel.CreateBounded<T>(new BoundedChannelOptions(capacity) { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var producer = Task.Run(
            async () =>
            {
                try
                {
                    await foreach (var item in source.WithCancellation(stop.Token))
                    {
                        await channel.Writer.WriteAsync(item, stop.Token);
                    }

                    channel.Writer.TryComplete();
                }
                catch (Exception ex)
                {
                    channel.Writer.TryComplete(ex);
                }
            },
            CancellationToken.None);

        try
        {
            while (await channel.Reader.WaitToReadAsync(cancellationToken))
            {
                while (channel.Reader.TryRead(out var item))
                {
                    yield return item;
                }
            }
        }
        finally
        {
            await stop.CancelAsync();
            await producer;
        }
    }
}
