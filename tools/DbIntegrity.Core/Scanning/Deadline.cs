namespace DbIntegrity.Core.Scanning;

/// <summary>
/// When a scan gives up waiting for its own work: <see cref="Margin"/> after --timeout, or after the caller's
/// cancellation. Cancellation is a request that I/O may ignore (Npgsql's cancel request and its wait for the server, a
/// socket whose peer vanished, a keep-alive); the deadline is not.
/// </summary>
internal static class Deadline
{
    /// <summary>How long cancelled work may take to stop before it is abandoned (README "Fail closed" states it).</summary>
    public static readonly TimeSpan Margin = TimeSpan.FromSeconds(2);

    /// <summary>A token that fires <see cref="Margin"/> after <paramref name="timeout"/> or after <paramref name="cancellation"/> fires.</summary>
    public static CancellationToken After(TimeSpan? timeout, CancellationToken cancellation, out IDisposable handle)
    {
        var source = new CancellationTokenSource();
        if (timeout is { } limit)
        {
            source.CancelAfter(limit + Margin);
        }

        var registration = cancellation.Register(() =>
        {
            try
            {
                source.CancelAfter(Margin);
            }
            catch (ObjectDisposedException)
            {
                // The work finished first.
            }
        });
        handle = new Handle(registration, source);
        return source.Token;
    }

    private sealed class Handle(CancellationTokenRegistration registration, CancellationTokenSource source) : IDisposable
    {
        public void Dispose()
        {
            registration.Dispose();
            source.Dispose();
        }
    }
}
