using System.Net;
using System.Net.Sockets;

namespace DbIntegrity.IntegrationTests.Serving;

/// <summary>A local HTTP endpoint standing in for a Slack incoming webhook: answers 503 to the first N posts, then 200.</summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _loop;
    private readonly int _failFirst;
    private readonly List<string> _received = [];
    private int _attempts;

    private WebhookReceiver(int failFirst)
    {
        _failFirst = failFirst;
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        Url = new Uri($"http://127.0.0.1:{port}/services/T000/B000/secret-token/");
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public Uri Url { get; }

    public int Attempts => Volatile.Read(ref _attempts);

    /// <summary>Bodies of the posts answered 200.</summary>
    public IReadOnlyList<string> Received
    {
        get
        {
            lock (_received)
            {
                return [.. _received];
            }
        }
    }

    public static WebhookReceiver Start(int failFirst) => new(failFirst);

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        try
        {
            await _loop;
        }
        catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
        {
            // Stopping the listener ends the loop this way.
        }

        _listener.Close();
    }

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            var context = await _listener.GetContextAsync();
            using var reader = new StreamReader(context.Request.InputStream);
            var body = await reader.ReadToEndAsync();
            if (Interlocked.Increment(ref _attempts) <= _failFirst)
            {
                context.Response.StatusCode = 503;
            }
            else
            {
                lock (_received)
                {
                    _received.Add(body);
                }

                context.Response.StatusCode = 200;
            }

            context.Response.Close();
        }
    }
}
