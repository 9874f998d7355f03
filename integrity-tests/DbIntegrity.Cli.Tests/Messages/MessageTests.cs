using DbIntegrity.Cli.Infrastructure;
using DbIntegrity.Cli.Tests.Infrastructure;
using DbIntegrity.Core;
using DbIntegrity.Core.Configuration;
using DbIntegrity.Core.Database;
using DbIntegrity.Core.Storage;
using Npgsql;

namespace DbIntegrity.Cli.Tests.Messages;

/// <summary>Messages that say what failed and what to do next, each asserted by its wording and exit code.</summary>
public sealed class MessageTests
{
    [Test]
    public void A_login_failure_names_the_user_and_password_settings()
    {
        var message = DatabaseFailures.Describe(new PostgresException("password authentication failed for user \"nobody\"", "FATAL", "FATAL", PostgresErrorCodes.InvalidPassword));

        Assert.That(message, Does.StartWith("the database refused the login (28P01").And.Contain("check DB_USERNAME and DB_PASSWORD"));
        Assert.That(message, Does.Not.Contain("refused a query"));
    }

    [Test]
    public async Task An_unreachable_database_names_host_port_and_the_settings_and_the_verdict_gives_the_reason_first()
    {
        var result = await CliRun.RunAsync(CliRun.Unreachable(), "check");

        Assert.That(result.ExitCode, Is.EqualTo((int)ExitCode.Incomplete), result.ToString());
        var firstLine = result.Stdout.Split('\n')[0];
        Assert.That(firstLine, Does.StartWith("incomplete: could not connect to 127.0.0.1:9"));
        Assert.That(firstLine, Does.Contain("check DB_HOST and DB_PORT"));
    }

    [Test]
    public async Task The_gate_on_an_unreachable_database_names_host_port_and_exits_3()
    {
        var result = await CliRun.RunAsync(CliRun.Unreachable(), "gate");

        Assert.That(result.ExitCode, Is.EqualTo((int)ExitCode.Incomplete), result.ToString());
        Assert.That(result.Stdout + result.Stderr, Does.Contain("could not connect to 127.0.0.1:9").And.Contain("check DB_HOST and DB_PORT"));
    }

    [Test]
    public void An_endpoint_without_a_scheme_is_named()
    {
        var ex = Assert.Throws<ConfigurationException>(() => S3StorageSettings.ParseEndpoint("minio:9000"));

        Assert.That(CommandWords.Fill(ex!.Message), Does.StartWith("S3_ENDPOINT (or --s3-endpoint) has no scheme: write it as http://host:port"));
        Assert.That(ex.Message, Does.Not.Contain("minio"));
    }

    [TestCase("dify-plugins", true)]
    [TestCase("my.bucket-1", true)]
    [TestCase("Dify_Plugins", false)]
    [TestCase("ab", false)]
    [TestCase("a..b", false)]
    public void Bucket_names_follow_the_s3_rules(string name, bool valid) =>
        Assert.That(BucketNames.IsValid(name), Is.EqualTo(valid));

    [Test]
    public async Task Repair_apply_on_a_missing_file_says_so_with_one_period()
    {
        var result = await CliRun.RunAsync(CliRun.Unreachable(), "repair", "apply", "/no/such/plan.json");

        Assert.That(result.ExitCode, Is.EqualTo((int)ExitCode.UsageError), result.ToString());
        Assert.That(result.Stderr, Does.Contain("There is no plan file /no/such/plan.json. Make one with: dbintegrity repair plan -o plan.json"));
        Assert.That(result.Stderr, Does.Not.Contain(".."));
    }

    [Test]
    public async Task Repair_apply_on_the_screen_output_of_repair_plan_says_it_is_not_a_plan_and_shows_o()
    {
        var file = Path.Combine(Path.GetTempPath(), $"not-a-plan-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, "Repair plan for dify_plugin: scan found 4 error(s)\n");
        try
        {
            var result = await CliRun.RunAsync(CliRun.Unreachable(), "repair", "apply", file);

            Assert.That(result.ExitCode, Is.EqualTo((int)ExitCode.UsageError), result.ToString());
            Assert.That(result.Stderr, Does.Contain($"{file} is not a repair plan: it is not JSON").And.Contain("dbintegrity repair plan -o"));
        }
        finally
        {
            File.Delete(file);
        }
    }
}
