using DbIntegrity.Cli;
using DbIntegrity.Cli.Infrastructure;
using DbIntegrity.Core.Configuration;
using DbIntegrity.Core.Migrating;
using Spectre.Console.Testing;

namespace DbIntegrity.IntegrationTests.Infrastructure;

/// <summary>What one in-process run of <c>dbintegrity</c> returned and printed.</summary>
public sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
}

/// <summary>Runs the real command tree in-process, with its own consoles and an environment the test controls.</summary>
public static class CliRunner
{
    public static Task<CliResult> RunAsync(SettingsSource environment, params string[] args) =>
        RunAsync(environment, MigrationCatalog.Default, args);

    /// <summary>Runs with a migration chain of the test's own (the shipped one plus, or with one replaced by, test migrations).</summary>
    public static async Task<CliResult> RunAsync(SettingsSource environment, MigrationCatalog catalog, params string[] args)
    {
        var output = new TestConsole().Width(250);
        var diagnostics = new TestConsole().Width(250);
        var context = new CliContext(output, diagnostics, environment) { Catalog = catalog };
        var exitCode = await DbIntegrityApp.RunAsync(args, context, CancellationToken.None);
        return new CliResult(exitCode, output.Output, diagnostics.Output);
    }

    /// <summary>The test services' variables with a test's own database and bucket.</summary>
    public static SettingsSource Environment(TestDatabase? database = null, TestBucket? bucket = null, IReadOnlyDictionary<string, string?>? extra = null)
    {
        var overrides = new Dictionary<string, string?>();
        foreach (var set in new[] { database?.Variables, bucket?.Variables, extra })
        {
            foreach (var (key, value) in set ?? new Dictionary<string, string?>())
            {
                overrides[key] = value;
            }
        }

        return TestServices.Environment.With(overrides);
    }
}
