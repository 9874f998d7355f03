using System.Text.Json;
using DbIntegrity.Cli;
using DbIntegrity.IntegrationTests.Infrastructure;

namespace DbIntegrity.IntegrationTests.Checking;

/// <summary>The check command's exit codes and output contract, in-process.</summary>
[Category("Integration")]
[Parallelizable(ParallelScope.Self)]
public sealed class CheckCommandTests
{
    [Test]
    public async Task An_empty_migrated_deployment_is_consistent_and_json_stdout_is_only_json()
    {
        await using var database = await TestDatabase.CreateMigratedAsync();
        await using var bucket = await TestBucket.CreateAsync();

        var result = await CliRunner.RunAsync(CliRunner.Environment(database, bucket), "check", "--format", "json");

        Assert.That(result.ExitCode, Is.EqualTo((int)ExitCode.Success), result.ToString());
        using var json = JsonDocument.Parse(result.Stdout);
        Assert.That(json.RootElement.GetProperty("status").GetString(), Is.EqualTo("consistent"));
        Assert.That(json.RootElement.GetProperty("findings").GetArrayLength(), Is.Zero);
    }

    [Test]
    public async Task A_folder_marker_under_plugin_gives_exit_1_and_an_installed_key_invalid_finding()
    {
        await using var database = await TestDatabase.CreateMigratedAsync();
        await using var bucket = await TestBucket.CreateAsync();
        await bucket.Store.PutAsync("plugin/", ReadOnlyMemory<byte>.Empty, CancellationToken.None);

        var result = await CliRunner.RunAsync(CliRunner.Environment(database, bucket), "check", "--format", "json", "--grace", "0");

        Assert.That(result.ExitCode, Is.EqualTo((int)ExitCode.Findings), result.ToString());
        using var json = JsonDocument.Parse(result.Stdout);
        var finding = json.RootElement.GetProperty("findings").EnumerateArray().Single();
        Assert.That(finding.GetProperty("rule").GetString(), Is.EqualTo("installed-key-invalid"));
        Assert.That(finding.GetProperty("objectKey").GetString(), Is.EqualTo("plugin/"));
    }

    [Test]
    public async Task A_parse_error_does_not_echo_a_password_given_without_db()
    {
        var result = await CliRunner.RunAsync(CliRunner.Environment(), "check", "postgres://u:parse-error-pass@db/dify");

        Assert.That(result.ExitCode, Is.EqualTo((int)ExitCode.UsageError), result.ToString());
        Assert.That(result.ToString(), Does.Not.Contain("parse-error-pass"));
    }

    [Test]
    public async Task The_table_report_is_redacted_like_the_other_formats()
    {
        var password = TestServices.Environment.Get("DB_PASSWORD");
        Assert.That(password, Is.Not.Null.And.Not.Empty, "the test services set DB_PASSWORD");
        await using var database = await TestDatabase.CreateMigratedAsync();
        await using var bucket = await TestBucket.CreateAsync();
        // A stray key that happens to spell the password: its finding message quotes the key.
        await bucket.Store.PutAsync($"plugin/{password}", "x"u8.ToArray(), CancellationToken.None);

        var result = await CliRunner.RunAsync(CliRunner.Environment(database, bucket), "check", "--grace", "0");

        Assert.That(result.ExitCode, Is.EqualTo((int)ExitCode.Findings), result.ToString());
        Assert.That(result.Stdout, Does.Contain("installed-key-invalid").And.Contain("plugin/***"));
        Assert.That(result.Stdout + result.Stderr, Does.Not.Contain(password));
    }

    [Test]
    public async Task The_gate_table_report_is_redacted_too()
    {
        var password = TestServices.Environment.Get("DB_PASSWORD");
        Assert.That(password, Is.Not.Null.And.Not.Empty, "the test services set DB_PASSWORD");
        await using var database = await TestDatabase.CreateMigratedAsync();
        await using var bucket = await TestBucket.CreateAsync();
        await bucket.Store.PutAsync($"plugin/{password}", "x"u8.ToArray(), CancellationToken.None);

        var result = await CliRunner.RunAsync(CliRunner.Environment(database, bucket), "gate", "--grace", "0", "--no-record");

        Assert.That(result.ExitCode, Is.EqualTo((int)ExitCode.Findings), result.ToString());
        Assert.That(result.Stdout, Does.Contain("installed-key-invalid").And.Contain("plugin/***"));
        Assert.That(result.Stdout + result.Stderr, Does.Not.Contain(password));
    }

    [Test]
    public async Task The_report_goes_to_the_output_file_when_asked()
    {
        await using var database = await TestDatabase.CreateMigratedAsync();
        await using var bucket = await TestBucket.CreateAsync();
        // --output never creates folders (a typo in the path fails before the scan): the folder exists.
        var path = Path.Combine(Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"dbi-{Guid.NewGuid():N}")).FullName, "report.xml");

        var result = await CliRunner.RunAsync(CliRunner.Environment(database, bucket), "check", "--format", "junit", "--output", path);

        Assert.That(result.ExitCode, Is.EqualTo((int)ExitCode.Success), result.ToString());
        Assert.That(await File.ReadAllTextAsync(path), Does.Contain("<testsuites").And.Contain("declaration-package-missing"));
        Assert.That(result.Stdout, Is.Empty);
        Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
    }

    [TestCase("--grace", "soon", "--grace")]
    [TestCase("--rules", "no-such-rule", "no-such-rule")]
    [TestCase("--format", "yaml", "yaml")]
    [TestCase("--deep-parallelism", "0", "--deep-parallelism")]
    public async Task Bad_flags_exit_2_naming_the_problem(string flag, string value, string expected)
    {
        await using var database = await TestDatabase.CreateMigratedAsync();
        await using var bucket = await TestBucket.CreateAsync();

        var result = await CliRunner.RunAsync(CliRunner.Environment(database, bucket), "check", flag, value);

        Assert.That(result.ExitCode, Is.EqualTo((int)ExitCode.UsageError), result.ToString());
        Assert.That(result.Stderr, Does.Contain(expected));
    }

    // Every flag that takes a value, in every command's settings: an empty value is refused before parsing.
    private static IEnumerable<string> EveryValueFlag() =>
        typeof(ExitCode).Assembly.GetTypes()
            .Where(t => typeof(Spectre.Console.Cli.CommandSettings).IsAssignableFrom(t))
            .SelectMany(t => t.GetProperties())
            .Select(p => p.GetCustomAttributes(typeof(Spectre.Console.Cli.CommandOptionAttribute), inherit: true).OfType<Spectre.Console.Cli.CommandOptionAttribute>().SingleOrDefault())
            .Where(o => o is { ValueName: not null } && o.LongNames.Count > 0)
            .Select(o => "--" + o!.LongNames[0])
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal);

    [Test]
    public void The_empty_value_cases_cover_the_flags_that_select_what_is_checked() =>
        Assert.That(EveryValueFlag(), Is.SupersetOf(new[] { "--bucket", "--db", "--s3-endpoint", "--region", "--installed-path", "--package-path", "--media-path", "--timeout" }));

    [TestCaseSource(nameof(EveryValueFlag))]
    public async Task An_empty_flag_value_exits_2_instead_of_falling_back_to_the_variable(string flag)
    {
        var separate = await CliRunner.RunAsync(CliRunner.Environment(), "check", flag, "");
        var joined = await CliRunner.RunAsync(CliRunner.Environment(), "check", flag + "=");

        Assert.That(separate.ExitCode, Is.EqualTo((int)ExitCode.UsageError), separate.ToString());
        Assert.That(separate.Stderr, Does.Contain(flag + " was given an empty value"));
        Assert.That(joined.ExitCode, Is.EqualTo((int)ExitCode.UsageError), joined.ToString());
        Assert.That(joined.Stderr, Does.Contain(flag + " was given an empty value"));
    }

    [Test]
    public async Task No_bucket_configured_exits_2_naming_the_variable()
    {
        await using var database = await TestDatabase.CreateMigratedAsync();
        var environment = CliRunner.Environment(database).Without("PLUGIN_STORAGE_OSS_BUCKET");

        var result = await CliRunner.RunAsync(environment, "check");

        Assert.That(result.ExitCode, Is.EqualTo((int)ExitCode.UsageError), result.ToString());
        Assert.That(result.Stderr, Does.Contain("PLUGIN_STORAGE_OSS_BUCKET"));
    }

    [Test]
    public async Task A_database_without_daemon_tables_exits_2_and_says_where_to_point()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var bucket = await TestBucket.CreateAsync();

        var result = await CliRunner.RunAsync(CliRunner.Environment(database, bucket), "check");

        Assert.That(result.ExitCode, Is.EqualTo((int)ExitCode.UsageError), result.ToString());
        Assert.That(result.Stderr, Does.Contain("no plugin daemon tables").And.Contain("DB_DATABASE"));
    }
}
