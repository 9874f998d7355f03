using System.Globalization;
using System.Net;
using System.Net.Sockets;
using DbIntegrity.Cli;
using DbIntegrity.Cli.Infrastructure;
using DbIntegrity.Core.Configuration;
using Spectre.Console.Testing;

namespace DbIntegrity.IntegrationTests.Serving;

/// <summary><c>dbintegrity serve</c> running in-process on a free loopback port until disposed (Ctrl+C), with an HTTP client for it.</summary>
internal sealed class ServeProcess : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly TestConsole _output = new TestConsole().Width(250);
    private readonly TestConsole _diagnostics = new TestConsole().Width(250);
    private readonly Task<int> _run;

    private ServeProcess(SettingsSource environment, IReadOnlyList<string> arguments)
    {
        Port = FreePort();
        BaseAddress = new Uri($"http://127.0.0.1:{Port}/");
        Http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        var context = new CliContext(_output, _diagnostics, environment);
        _run = Task.Run(() => DbIntegrityApp.RunAsync(["serve", "--listen", $"127.0.0.1:{Port}", .. arguments], context, _stop.Token));
    }

    public int Port { get; }

    public Uri BaseAddress { get; }

    public HttpClient Http { get; }

    /// <summary>What serve printed so far, for failure messages.</summary>
    public string Log => $"--- stdout\n{_output.Output}\n--- stderr\n{_diagnostics.Output}";

    public static ServeProcess Start(SettingsSource environment, params string[] arguments) => new(environment, arguments);

    /// <summary>Polls until <paramref name="condition"/> holds; fails with serve's output when it does not in time or serve exits.</summary>
    public async Task WaitForAsync(string what, Func<Task<bool>> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(90));
        while (true)
        {
            if (_run.IsCompleted)
            {
                Assert.Fail($"serve exited ({await _run}) while waiting for {what}.\n{Log}");
            }

            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"timed out waiting for {what}.\n{Log}");
            }

            await Task.Delay(250);
        }
    }

    public async Task<(HttpStatusCode Status, string Body)> GetAsync(string path)
    {
        using var response = await Http.GetAsync(new Uri(path, UriKind.Relative));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Stops serve as Ctrl+C would and returns its exit code.</summary>
    public async Task<int> StopAsync()
    {
        await _stop.CancelAsync();
        return await _run.WaitAsync(TimeSpan.FromSeconds(60));
    }

    public async ValueTask DisposeAsync()
    {
        if (!_run.IsCompleted)
        {
            await _stop.CancelAsync();
            try
            {
                await _run.WaitAsync(TimeSpan.FromSeconds(60));
            }
            catch (TimeoutException)
            {
                // Reported by the test that needed it to stop.
            }
        }

        Http.Dispose();
        _stop.Dispose();
    }

    /// <summary>Parses a Prometheus text exposition into "name{labels}" -> value.</summary>
    public static Dictionary<string, double> Samples(string exposition) =>
        exposition.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(l => !l.StartsWith('#'))
            .Select(l => (Key: l[..l.LastIndexOf(' ')], Value: double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture)))
            .ToDictionary(s => s.Key, s => s.Value, StringComparer.Ordinal);

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
