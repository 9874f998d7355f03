using System.Diagnostics;
using DbIntegrity.Cli;
using DbIntegrity.IntegrationTests.Infrastructure;

namespace DbIntegrity.IntegrationTests.Reproduction;

/// <summary>
/// The built <c>dbintegrity.dll</c>, run with <c>dotnet</c> as a separate process against the test services: the real
/// entry point (Program.cs, environment, consoles, process exit code), not the in-process command tree.
/// </summary>
[Category("Integration")]
public sealed class OutOfProcessTests
{
    // The daemon variables the tool reads (docs/daemon/database.md#connection, docs/daemon/storage.md#settings); the test's own database and bucket replace the defaults.
    private static readonly string[] Variables =
    [
        "DB_TYPE", "DB_HOST", "DB_PORT", "DB_USERNAME", "DB_PASSWORD", "DB_SSL_MODE",
        "PLUGIN_STORAGE_TYPE", "S3_USE_AWS", "S3_ENDPOINT", "S3_USE_PATH_STYLE", "AWS_ACCESS_KEY", "AWS_SECRET_KEY", "AWS_REGION",
    ];

    [Test]
    public async Task The_demo_sequence_exits_with_the_documented_codes()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var bucket = await TestBucket.CreateAsync();

        Assert.That(await RunAsync(database, bucket, "reproduce", "seed-incident"), Is.EqualTo(ExitCode.Success), "seed an empty deployment");
        Assert.That(await RunAsync(database, bucket, "check", "--grace", "0"), Is.EqualTo(ExitCode.Findings), "the incident is found");
        Assert.That(await RunAsync(database, bucket, "reproduce", "seed-incident"), Is.EqualTo(ExitCode.UsageError), "a non-empty deployment is refused");
        Assert.That(await RunAsync(database, bucket, "reproduce", "healthy", "--force"), Is.EqualTo(ExitCode.Success), "--force replaces it");
        Assert.That(await RunAsync(database, bucket, "check", "--grace", "0"), Is.EqualTo(ExitCode.Success), "a healthy deployment is consistent");
    }

    private static async Task<ExitCode> RunAsync(TestDatabase database, TestBucket bucket, params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "dbintegrity.dll");
        Assert.That(File.Exists(dll), Is.True, $"{dll} is missing: build the solution first.");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var name in Variables)
        {
            start.Environment[name] = TestServices.Environment.Get(name);
        }

        start.Environment["DB_DATABASE"] = database.Name;
        start.Environment["PLUGIN_STORAGE_OSS_BUCKET"] = bucket.Name;
        start.Environment["NO_COLOR"] = "1";

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        await TestContext.Out.WriteLineAsync($"$ dbintegrity {string.Join(' ', args)} -> {process.ExitCode}\n{await stdout}\n{await stderr}");
        return (ExitCode)process.ExitCode;
    }
}
