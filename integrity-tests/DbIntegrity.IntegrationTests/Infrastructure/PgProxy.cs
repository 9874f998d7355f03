using System.Net;
using System.Net.Sockets;
using System.Text;

namespace DbIntegrity.IntegrationTests.Infrastructure;

/// <summary>
/// A TCP proxy in front of the test PostgreSQL that can turn into a black hole: once a client sends bytes containing
/// <see cref="BlackholeAt"/> (a statement's text: the protocol carries it in plain UTF-8), nothing is forwarded in either
/// direction on any connection, new ones included (so Npgsql's cancel request is swallowed too), and no connection is
/// closed: the network partition a deadline must survive.
/// </summary>
public sealed class PgProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly string _targetHost;
    private readonly int _targetPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TcpClient> _clients = [];
    private readonly Task _loop;
    private volatile bool _blackholed;

    private PgProxy(string targetHost, int targetPort)
    {
        _targetHost = targetHost;
        _targetPort = targetPort;
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Text that, once a client sends it, starts the black hole (null: forward everything).</summary>
    public string? BlackholeAt { get; set; }

    /// <summary>True once the black hole started.</summary>
    public bool Blackholed => _blackholed;

    public static PgProxy Start(string targetHost, int targetPort) => new(targetHost, targetPort);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        lock (_clients)
        {
            foreach (var client in _clients)
            {
                client.Dispose();
            }
        }

        try
        {
            await _loop;
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // Stopping the listener ends the accept loop this way.
        }

        _stop.Dispose();
    }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            var server = new TcpClient();
            lock (_clients)
            {
                _clients.Add(client);
                _clients.Add(server);
            }

            _ = Task.Run(async () =>
            {
                try
                {
                    await server.ConnectAsync(_targetHost, _targetPort, _stop.Token);
                    await Task.WhenAll(PumpAsync(client.GetStream(), server.GetStream(), fromClient: true), PumpAsync(server.GetStream(), client.GetStream(), fromClient: false));
                }
                catch (Exception ex) when (ex is SocketException or IOException or ObjectDisposedException or OperationCanceledException)
                {
                    // A side went away or the proxy stopped.
                }
            });
        }
    }

    private async Task PumpAsync(NetworkStream from, NetworkStream to, bool fromClient)
    {
        var buffer = new byte[64 * 1024];
        while (true)
        {
            var read = await from.ReadAsync(buffer, _stop.Token);
            if (read == 0)
            {
                // A black hole never says goodbye.
                if (_blackholed)
                {
                    await Task.Delay(Timeout.Infinite, _stop.Token);
                }

                to.Socket.Shutdown(SocketShutdown.Send);
                return;
            }

            if (fromClient && BlackholeAt is { } text && Encoding.UTF8.GetString(buffer, 0, read).Contains(text, StringComparison.Ordinal))
            {
                _blackholed = true;
            }

            if (!_blackholed)
            {
                await to.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
            }
        }
    }
}
