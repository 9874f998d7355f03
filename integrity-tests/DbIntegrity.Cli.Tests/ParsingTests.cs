using DbIntegrity.Cli.Tests.Infrastructure;

namespace DbIntegrity.Cli.Tests;

/// <summary>Parsing, help, version and the exit codes of usage errors: no service is reached.</summary>
public sealed class ParsingTests
{
    [TestCase("--version")]
    [TestCase("-v")]
    [TestCase("version")]
    public async Task Version_flags_print_the_version_and_exit_0(string flag)
    {
        var result = await CliRun.RunAsync(flag);

        Assert.That(result.ExitCode, Is.EqualTo((int)ExitCode.Success), result.ToString());
        Assert.That(result.Stdout, Does.StartWith("dbintegrity 1."));
    }

    [TestCase]
    [TestCase("repair")]
    [TestCase("migrate")]
    public async Task A_missing_command_prints_help_and_exits_2_everywhere(params string[] args)
    {
        var result = await CliRun.RunAsync(args);

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo((int)ExitCode.UsageError), result.ToString());
            Assert.That(result.Stdout, Does.Contain("USAGE:"));
            Assert.That(result.Stderr, Does.Contain("error:").And.Contain("e.g. dbintegrity"));
        });
    }

    [Test]
    public async Task Help_exits_0()
    {
        var result = await CliRun.RunAsync("--help");

        Assert.That(result.ExitCode, Is.EqualTo((int)ExitCode.Success), result.ToString());
        Assert.That(result.Stdout, Does.Contain("check").And.Contain("repair"));
    }

    [Test]
    public async Task An_unknown_command_suggests_the_nearest()
    {
        var result = await CliRun.RunAsync("chek");

        Assert.That(result.ExitCode, Is.EqualTo((int)ExitCode.UsageError), result.ToString());
        Assert.That(result.Stderr, Does.Contain("Unknown command 'chek'. Did you mean 'check'?"));
    }

    [Test]
    public async Task An_unknown_format_lists_the_valid_ones_in_the_clis_words()
    {
        var result = await CliRun.RunAsync(CliRun.Unreachable(), "check", "--format", "xml");

        Assert.That(result.ExitCode, Is.EqualTo((int)ExitCode.UsageError), result.ToString());
        Assert.That(result.Stderr, Does.Contain("--format xml is not a report format: use table, json, junit, markdown or prometheus."));
        Assert.That(result.Stderr, Does.Not.Contain("ReportFormat"));
    }

    // prometheus is check's metrics format, yaml no format at all: the gate refuses both at parse time, before any work.
    [TestCase("prometheus")]
    [TestCase("yaml")]
    public async Task The_gate_takes_only_its_own_formats(string format)
    {
        var result = await CliRun.RunAsync(CliRun.Unreachable(), "gate", "--format", format);

        Assert.That(result.ExitCode, Is.EqualTo((int)ExitCode.UsageError), result.ToString());
        Assert.That(result.Stderr, Does.Contain($"--format {format} is not a report format of the gate: use table, json, junit or markdown."));
    }

    [Test]
    public async Task Timeout_0_is_documented_as_no_limit()
    {
        var check = await CliRun.RunAsync("check", "--help");
        var plan = await CliRun.RunAsync("repair", "plan", "--help");

        Assert.That(check.Stdout + plan.Stdout, Does.Contain("0 means no limit"));
        Assert.That(System.Text.RegularExpressions.Regex.Matches(check.Stdout + plan.Stdout, "0 means no limit"), Has.Count.EqualTo(2));
    }

    [Test]
    public async Task Migrate_up_to_an_unknown_future_release_names_the_newest_known()
    {
        var result = await CliRun.RunAsync(CliRun.Unreachable(), "migrate", "up", "--to", "9.9.9");

        Assert.That(result.ExitCode, Is.EqualTo((int)ExitCode.UsageError), result.ToString());
        Assert.That(result.Stderr, Does.Contain("newer than the newest daemon release dbintegrity knows, 0.6.10"));
    }

    [Test]
    public async Task Repair_plan_with_an_output_in_a_missing_folder_fails_before_the_scan()
    {
        var result = await CliRun.RunAsync(CliRun.Unreachable(), "repair", "plan", "-o", "/no/such/dir/plan.json");

        Assert.That(result.ExitCode, Is.EqualTo((int)ExitCode.UsageError), result.ToString());
        Assert.That(result.Stderr, Does.Contain("-o /no/such/dir/plan.json: the folder /no/such/dir does not exist"));
        Assert.That(result.Stderr, Does.Not.Contain("could not connect"));
    }

    [Test]
    public async Task Check_with_an_output_in_a_missing_folder_fails_before_the_scan()
    {
        var result = await CliRun.RunAsync(CliRun.Unreachable(), "check", "-o", "/no/such/dir/report.json");

        Assert.That(result.ExitCode, Is.EqualTo((int)ExitCode.UsageError), result.ToString());
        Assert.That(result.Stderr, Does.Contain("the folder /no/such/dir does not exist"));
    }

    [Test]
    public async Task Main_sh_help_prints_its_usage_without_building_anything()
    {
        var start = new System.Diagnostics.ProcessStartInfo("bash", [Path.Combine(CliRun.RepositoryRoot(), "tools", "main.sh"), "--help"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = System.Diagnostics.Process.Start(start)!;
        var stdout = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.That(process.ExitCode, Is.Zero, stdout);
        Assert.That(stdout, Does.StartWith("Usage: tools/main.sh").And.Contain("KEEP_SERVICES=1").And.Contain("--storage s3|local"));
    }

    [TestCase("--storage", "gcs")]
    [TestCase("--storage")]
    public async Task Main_sh_refuses_a_demo_store_it_does_not_have_without_building_anything(params string[] args)
    {
        var start = new System.Diagnostics.ProcessStartInfo("bash", [Path.Combine(CliRun.RepositoryRoot(), "tools", "main.sh"), .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment.Remove("DB_HOST");
        using var process = System.Diagnostics.Process.Start(start)!;
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.That(process.ExitCode, Is.EqualTo(1), stderr);
        Assert.That(stderr, Does.Contain("--storage takes s3 or local").And.Not.Contain("build dbintegrity"));
    }
}
