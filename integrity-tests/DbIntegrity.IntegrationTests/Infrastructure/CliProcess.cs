using System.Diagnostics;
using DbIntegrity.Core.Configuration;

namespace DbIntegrity.IntegrationTests.Infrastructure;

/// <summary>
/// The built <c>dbintegrity</c> run out of process (<c>dotnet dbintegrity.dll</c>), so a test can kill it for real
/// (SIGKILL: no finally block, no disposal, the socket just closes).
/// </summary>
public sealed class CliProcess : IDisposable
{
    private static readonly string[] Variables =
    [
        "DB_HOST", "DB_PORT", "DB_USERNAME", "DB_PASSWORD", "DB_DATABASE", "DB_SSL_MODE",
        "S3_ENDPOINT", "S3_USE_PATH_STYLE", "AWS_ACCESS_KEY", "AWS_SECRET_KEY", "AWS_REGION", "PLUGIN_STORAGE_OSS_BUCKET",
        "PLUGIN_STORAGE_TYPE", "PLUGIN_STORAGE_LOCAL_ROOT",
        AzureBlobSettings.ContainerVariable, AzureBlobSettings.ConnectionStringVariable,
    ];

    private readonly Process _process;
    private readonly List<string> _stderr = [];
    private readonly List<string> _stdout = [];
    private readonly TaskCompletionSource _marker = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly string _waitFor;

    private CliProcess(Process process, string waitFor)
    {
        _process = process;
        _waitFor = waitFor;
    }

    public string Stderr
    {
        get
        {
            lock (_stderr)
            {
                return string.Join('\n', _stderr);
            }
        }
    }

    /// <summary>Starts the CLI with the test environment's variables (no other settings leak in from the runner).</summary>
    public static CliProcess Start(SettingsSource environment, IReadOnlyDictionary<string, string> extra, string waitFor, params string[] args) =>
        Start(launcher: [], environment, extra, waitFor, args);

    /// <summary>
    /// Runs the CLI to its end, as a user runs it, and returns what it printed. <paramref name="launcher"/> runs it
    /// through another program first (e.g. <c>unshare</c>), which gets the CLI's command line as its last arguments.
    /// </summary>
    public static async Task<CliResult> RunAsync(SettingsSource environment, IReadOnlyList<string> launcher, params string[] args)
    {
        using var process = Start(launcher, environment, new Dictionary<string, string>(), waitFor: "\0", args);
        var exitCode = await process.WaitForExitAsync(TimeSpan.FromMinutes(3));
        return new CliResult(exitCode, process.Stdout, process.Stderr);
    }

    private static CliProcess Start(IReadOnlyList<string> launcher, SettingsSource environment, IReadOnlyDictionary<string, string> extra, string waitFor, string[] args)
    {
        var dll = Path.Combine(TestContext.CurrentContext.TestDirectory, "dbintegrity.dll");
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        var start = new ProcessStartInfo(launcher.Count > 0 ? launcher[0] : dotnet)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        List<string> arguments = [.. launcher.Skip(1)];
        if (launcher.Count > 0)
        {
            arguments.Add(dotnet);
        }

        arguments.Add(dll);
        arguments.AddRange(args);
        foreach (var arg in arguments)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("DB_", StringComparison.Ordinal) || k.StartsWith("S3_", StringComparison.Ordinal)
            || k.StartsWith("AWS_", StringComparison.Ordinal) || k.StartsWith("PLUGIN_", StringComparison.Ordinal) || k.StartsWith("AZURE_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }

        foreach (var name in Variables)
        {
            if (environment.Get(name) is { } value)
            {
                start.Environment[name] = value;
            }
        }

        foreach (var (name, value) in extra)
        {
            start.Environment[name] = value;
        }

        var process = new Process { StartInfo = start };
        var cli = new CliProcess(process, waitFor);
        process.ErrorDataReceived += (_, e) => cli.OnStderr(e.Data);
        process.OutputDataReceived += (_, e) => cli.OnStdout(e.Data);
        process.Start();
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        return cli;
    }

    /// <summary>Waits until stderr shows the marker line; fails (with what the process said) if it exits or times out first.</summary>
    public async Task WaitForMarkerAsync(TimeSpan timeout)
    {
        var exited = _process.WaitForExitAsync();
        var finished = await Task.WhenAny(_marker.Task, exited, Task.Delay(timeout));
        if (finished != _marker.Task)
        {
            Assert.Fail($"dbintegrity did not print \"{_waitFor}\" ({(finished == exited ? $"exited {_process.ExitCode}" : "timed out")}):\n{Stderr}");
        }
    }

    public string Stdout
    {
        get
        {
            lock (_stdout)
            {
                return string.Join('\n', _stdout);
            }
        }
    }

    /// <summary>Sends a POSIX signal by name (TERM, INT) with kill(1), as an operator or an orchestrator would.</summary>
    public async Task SignalAsync(string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
    }

    /// <summary>Waits for the process to exit and returns its exit code; fails if it does not exit in time.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);

            // The parameterless wait also waits until the redirected output has been read to its end.
            _process.WaitForExit();
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"dbintegrity did not exit within {timeout}:\n{Stderr}");
        }

        return _process.ExitCode;
    }

    /// <summary>SIGKILL, then wait for the process to be gone.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    private void OnStdout(string? line)
    {
        if (line is not null)
        {
            lock (_stdout)
            {
                _stdout.Add(line);
            }
        }
    }

    private void OnStderr(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_stderr)
        {
            _stderr.Add(line);
        }

        if (line.Contains(_waitFor, StringComparison.Ordinal))
        {
            _marker.TrySetResult();
        }
    }
}
