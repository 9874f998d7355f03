using DbIntegrity.Core.Configuration;
using DbIntegrity.IntegrationTests.Infrastructure;
using DotNet.Testcontainers.Containers;
using Testcontainers.LocalStack;
using Testcontainers.PostgreSql;

namespace DbIntegrity.IntegrationTests;

/// <summary>
/// Starts (or finds) PostgreSQL and S3 once per test run. Endpoints come from the daemon's own variables (DB_*,
/// S3_ENDPOINT, AWS_*), as <c>tools/local-services.sh env</c> prints them (Ceph RGW); without them, Testcontainers starts
/// postgres:15 and LocalStack when a Docker engine answers; otherwise, or when the engine cannot start them (images
/// missing and not pullable), every test fails at once with the fix. LocalStack enforces no bucket policies: there the
/// least-privilege tests fail and say they need the local services.
/// </summary>
[SetUpFixture]
public sealed class TestServices
{
    // LocalStack 4.15 and later want an auth token; 4.14.0 runs S3 without one.
    private const string LocalStackImage = "localstack/localstack:4.14.0";
    private const string PostgresImage = "postgres:15";

    private const string NoServicesHint =
        "Run the tests through tools/test.sh (it starts local PostgreSQL, Ceph RGW and Azurite), "
        + "or start them yourself: tools/local-services.sh up && eval \"$(tools/local-services.sh env)\", "
        + "or run a Docker engine with postgres:15 and LocalStack available so Testcontainers can start them.";

    private static SettingsSource? _environment;
    private static string? _unavailableReason;
    private static readonly List<IContainer> Containers = [];

    /// <summary>The daemon variables that point at the test services (the database and bucket vary per test).</summary>
    public static SettingsSource Environment =>
        _environment ?? throw new InvalidOperationException(_unavailableReason ?? "Test services were not started.");

    /// <summary>How the services were found, for the test log.</summary>
    public static string Origin { get; private set; } = "none";

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        var fromEnvironment = SettingsSource.FromEnvironment();
        if (fromEnvironment.Has("DB_HOST") && fromEnvironment.Has("S3_ENDPOINT"))
        {
            _environment = fromEnvironment;
            Origin = "environment";
        }
        else if (await DockerProbe.IsReachableAsync(CancellationToken.None))
        {
            try
            {
                _environment = await StartContainersAsync();
                Origin = "testcontainers";
            }
            catch (Exception ex) when (ex is not AssertionException)
            {
                // An engine without the images and without a registry to pull them from fails deep inside
                // Testcontainers with a generic message: say what it means and what else works.
                try
                {
                    await StopAsync();
                }
                catch (Exception cleanup) when (cleanup is not OutOfMemoryException)
                {
                    await TestContext.Progress.WriteLineAsync($"[test services] cleaning up the containers failed too: {cleanup.Message}");
                }

                _unavailableReason =
                    $"A Docker engine answers, but Testcontainers could not start {PostgresImage} and {LocalStackImage} ({ex.GetType().Name}: {ex.Message}). "
                    + $"If the images are missing and cannot be pulled, pull them first (docker pull {PostgresImage}; docker pull {LocalStackImage}) or "
                    + NoServicesHint;
                Assert.Fail(_unavailableReason);
            }
        }
        else
        {
            _unavailableReason = "No PostgreSQL and S3 for the integration tests. " + NoServicesHint;
            Assert.Fail(_unavailableReason);
        }

        await TestContext.Progress.WriteLineAsync($"[test services] {Origin}: {DatabaseSettings.FromDaemonVariables(Environment).Describe()}, S3 {Environment.Get("S3_ENDPOINT")}");
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        foreach (var container in Containers)
        {
            await container.DisposeAsync();
        }

        Containers.Clear();
    }

    private static async Task<SettingsSource> StartContainersAsync()
    {
        var postgres = new PostgreSqlBuilder(PostgresImage).WithDatabase("dify_plugin").Build();
        var localstack = new LocalStackBuilder(LocalStackImage).WithEnvironment("SERVICES", "s3").Build();
        Containers.Add(postgres);
        Containers.Add(localstack);
        await Task.WhenAll(postgres.StartAsync(), localstack.StartAsync());
        var connection = new Npgsql.NpgsqlConnectionStringBuilder(postgres.GetConnectionString());
        return new SettingsSource(new Dictionary<string, string>
        {
            ["DB_HOST"] = connection.Host!,
            ["DB_PORT"] = connection.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["DB_USERNAME"] = connection.Username!,
            ["DB_PASSWORD"] = connection.Password!,
            ["DB_DATABASE"] = "dify_plugin",
            ["S3_ENDPOINT"] = localstack.GetConnectionString(),
            ["S3_USE_PATH_STYLE"] = "true",
            ["AWS_ACCESS_KEY"] = "test",
            ["AWS_SECRET_KEY"] = "test",
            ["AWS_REGION"] = "us-east-1",
            ["PLUGIN_STORAGE_OSS_BUCKET"] = "dify-plugins",
        });
    }
}
