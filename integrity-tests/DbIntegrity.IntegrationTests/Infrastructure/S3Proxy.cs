using System.Net;
using System.Net.Sockets;

namespace DbIntegrity.IntegrationTests.Infrastructure;

/// <summary>
/// A real HTTP proxy in front of the test S3 endpoint. It can enforce a read-only policy (only GET and HEAD, as
/// credentials limited to s3:ListBucket and s3:GetObject would be: s3rver has no IAM) and it can start failing after
/// a number of requests, to cut a scan off half-way. It records every request it saw.
/// </summary>
public sealed class S3Proxy : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly HttpClient _client = new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false });
    private readonly Uri _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _requests;

    private S3Proxy(Uri target, int port)
    {
        _target = target;
        Endpoint = new Uri($"http://127.0.0.1:{port}/");
        _listener.Prefixes.Add(Endpoint.ToString());
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public Uri Endpoint { get; }

    /// <summary>Answer writes (PUT, POST, DELETE) with 403 AccessDenied, as read-only credentials would.</summary>
    public bool ReadOnly { get; set; }

    /// <summary>After this many forwarded requests, answer every request with 500 InternalError.</summary>
    public int? FailAfter { get; set; }

    /// <summary>Answer GETs of objects (not listings) whose key contains this text with 403 AccessDenied.</summary>
    public string? DenyObjectGets { get; set; }

    /// <summary>Send half of each object whose key contains this text, then drop the connection (a reset mid-download).</summary>
    public string? TruncateObjectGets { get; set; }

    /// <summary>Answer listings with 200 and the first half of the real XML body, complete as HTTP (a broken gateway).</summary>
    public bool TruncateListings { get; set; }

    /// <summary>Answer every HEAD with 400 InvalidArgument (an endpoint that refuses some keys).</summary>
    public bool FailHeads { get; set; }

    /// <summary>Hold every request until the proxy is disposed (an endpoint that stopped answering).</summary>
    public bool Stall { get; set; }

    public List<string> Requests { get; } = [];

    public static S3Proxy Start(string targetEndpoint)
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return new S3Proxy(new Uri(targetEndpoint), port);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _loop;
        }
        catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or OperationCanceledException)
        {
            // Stopping the listener ends the accept loop this way.
        }

        _listener.Close();
        _client.Dispose();
        _stop.Dispose();
    }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var context = await _listener.GetContextAsync();
            _ = Task.Run(() => HandleAsync(context));
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        var request = context.Request;
        lock (Requests)
        {
            Requests.Add($"{request.HttpMethod} {request.RawUrl}");
        }

        try
        {
            if (Stall)
            {
                await Task.Delay(Timeout.Infinite, _stop.Token).ContinueWith(_ => { }, TaskScheduler.Default);
                context.Response.Abort();
                return;
            }

            if (ReadOnly && request.HttpMethod is not ("GET" or "HEAD"))
            {
                await RespondErrorAsync(context, 403, "AccessDenied", "Access Denied by the test's read-only policy");
                return;
            }

            if (FailHeads && request.HttpMethod == "HEAD")
            {
                await RespondErrorAsync(context, 400, "InvalidArgument", "The test's endpoint refuses HEAD");
                return;
            }

            if (IsObjectGet(request, DenyObjectGets))
            {
                await RespondErrorAsync(context, 403, "AccessDenied", "Access Denied by the test's policy");
                return;
            }

            if (FailAfter is { } limit && Interlocked.Increment(ref _requests) > limit)
            {
                await RespondErrorAsync(context, 500, "InternalError", "We encountered an internal error. Please try again.");
                return;
            }

            await ForwardAsync(context);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or HttpListenerException)
        {
            context.Response.Abort();
        }
    }

    private async Task ForwardAsync(HttpListenerContext context)
    {
        var request = context.Request;
        using var forward = new HttpRequestMessage(new HttpMethod(request.HttpMethod), new Uri(_target, request.RawUrl));
        if (request.HasEntityBody)
        {
            using var body = new MemoryStream();
            await request.InputStream.CopyToAsync(body);
            forward.Content = new ByteArrayContent(body.ToArray());
        }

        foreach (var name in request.Headers.AllKeys.OfType<string>())
        {
            var value = request.Headers[name]!;
            // The signature covers Host: keep the client's so the server verifies what the client signed.
            if (name.Equals("Host", StringComparison.OrdinalIgnoreCase))
            {
                forward.Headers.Host = value;
            }
            else if (!forward.Headers.TryAddWithoutValidation(name, value))
            {
                forward.Content?.Headers.TryAddWithoutValidation(name, value);
            }
        }

        using var response = await _client.SendAsync(forward, HttpCompletionOption.ResponseHeadersRead);
        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var header in response.Headers.Concat(response.Content.Headers))
        {
            if (header.Key.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (header.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                context.Response.ContentLength64 = long.Parse(header.Value.First(), System.Globalization.CultureInfo.InvariantCulture);
                continue;
            }

            context.Response.Headers[header.Key] = string.Join(",", header.Value);
        }

        if (TruncateListings && request.HttpMethod == "GET" && request.Url is { } url && url.Query.Contains("list-type", StringComparison.Ordinal))
        {
            var listing = await response.Content.ReadAsByteArrayAsync();
            context.Response.ContentLength64 = listing.Length / 2;
            await context.Response.OutputStream.WriteAsync(listing.AsMemory(0, listing.Length / 2));
            context.Response.Close();
            return;
        }

        if (IsObjectGet(request, TruncateObjectGets))
        {
            var bytes = await response.Content.ReadAsByteArrayAsync();
            await context.Response.OutputStream.WriteAsync(bytes.AsMemory(0, bytes.Length / 2));
            await context.Response.OutputStream.FlushAsync();
            context.Response.Abort();
            return;
        }

        await response.Content.CopyToAsync(context.Response.OutputStream);
        context.Response.Close();
    }

    // Path-style requests: an object GET is /bucket/key, a listing is /bucket?list-type=2&prefix=…
    private static bool IsObjectGet(HttpListenerRequest request, string? keyContains) =>
        keyContains is not null && request.HttpMethod == "GET" && request.Url is { } url
        && !url.Query.Contains("list-type", StringComparison.Ordinal)
        && Uri.UnescapeDataString(url.AbsolutePath).Contains(keyContains, StringComparison.Ordinal);

    private static async Task RespondErrorAsync(HttpListenerContext context, int status, string code, string message)
    {
        var body = System.Text.Encoding.UTF8.GetBytes(
            $"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>{code}</Code><Message>{message}</Message><RequestId>dbi-test</RequestId></Error>");
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/xml";
        context.Response.ContentLength64 = body.Length;
        await context.Response.OutputStream.WriteAsync(body);
        context.Response.Close();
    }
}
