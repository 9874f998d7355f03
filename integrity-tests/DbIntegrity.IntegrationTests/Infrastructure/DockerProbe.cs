using System.Net.Sockets;
using System.Text;

namespace DbIntegrity.IntegrationTests.Infrastructure;

/// <summary>Answers "is a Docker engine reachable?" in under two seconds, without Testcontainers' longer retries.</summary>
internal static class DockerProbe
{
    public static async Task<bool> IsReachableAsync(CancellationToken cancellationToken)
    {
        var host = System.Environment.GetEnvironmentVariable("DOCKER_HOST");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(2));
        try
        {
            using var socket = await ConnectAsync(host, timeout.Token);
            if (socket is null)
            {
                return false;
            }

            await socket.SendAsync(Encoding.ASCII.GetBytes("GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n"), timeout.Token);
            var buffer = new byte[64];
            var read = await socket.ReceiveAsync(buffer, timeout.Token);
            return Encoding.ASCII.GetString(buffer, 0, read).Contains(" 200 ", StringComparison.Ordinal);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or IOException)
        {
            return false;
        }
    }

    private static async Task<Socket?> ConnectAsync(string? dockerHost, CancellationToken cancellationToken)
    {
        if (dockerHost is not null && dockerHost.StartsWith("tcp://", StringComparison.Ordinal))
        {
            var uri = new Uri(dockerHost);
            var tcp = new Socket(SocketType.Stream, ProtocolType.Tcp);
            await tcp.ConnectAsync(uri.Host, uri.Port, cancellationToken);
            return tcp;
        }

        var path = dockerHost is not null && dockerHost.StartsWith("unix://", StringComparison.Ordinal) ? dockerHost["unix://".Length..] : "/var/run/docker.sock";
        if (!File.Exists(path))
        {
            return null;
        }

        var unix = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await unix.ConnectAsync(new UnixDomainSocketEndPoint(path), cancellationToken);
        return unix;
    }
}
