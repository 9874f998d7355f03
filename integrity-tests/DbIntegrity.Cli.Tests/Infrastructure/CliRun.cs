using DbIntegrity.Cli.Infrastructure;
using DbIntegrity.Core.Configuration;
using Spectre.Console.Testing;

namespace DbIntegrity.Cli.Tests.Infrastructure;

/// <summary>What one in-process run of <c>dbintegrity</c> returned and printed.</summary>
public sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
}

/// <summary>
/// Runs the real command tree in-process with consoles that are not terminals (as in a CI log) and an environment the
/// test controls: nothing of the machine's own environment leaks in.
/// </summary>
public static class CliRun
{
    /// <summary>A port nothing listens on (the discard port on loopback): connecting fails at once.</summary>
    public const string ClosedPort = "9";

    public static Task<CliResult> RunAsync(params string[] args) => RunAsync(new Dictionary<string, string>(), args);

    public static async Task<CliResult> RunAsync(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        // As Program sets up a console that is not a terminal: no width limit.
        var output = new TestConsole().Width(ConsoleWidth.NoWrap);
        var diagnostics = new TestConsole().Width(ConsoleWidth.NoWrap);
        var context = new CliContext(output, diagnostics, new SettingsSource(environment));
        var exitCode = await DbIntegrityApp.RunAsync(args, context, CancellationToken.None);
        return new CliResult(exitCode, output.Output, diagnostics.Output);
    }

    /// <summary>Settings that point at a loopback port nothing listens on: every command fails to connect.</summary>
    public static Dictionary<string, string> Unreachable() => new()
    {
        ["DB_HOST"] = "127.0.0.1",
        ["DB_PORT"] = ClosedPort,
        ["DB_USERNAME"] = "nobody",
        ["DB_PASSWORD"] = "not-a-secret",
        ["PLUGIN_STORAGE_OSS_BUCKET"] = "dify-plugins",
        ["S3_ENDPOINT"] = "http://127.0.0.1:" + ClosedPort,
        ["AWS_ACCESS_KEY"] = "test",
        ["AWS_SECRET_KEY"] = "test-secret",
    };

    /// <summary>The repository root (where DbIntegrity.sln is), for the README contracts.</summary>
    public static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "DbIntegrity.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new DirectoryNotFoundException("DbIntegrity.sln not found above the test directory.");
    }
}
