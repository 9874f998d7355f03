using System.Globalization;
using System.Text.RegularExpressions;
using DbIntegrity.Cli.Commands;
using DbIntegrity.Cli.Tests.Infrastructure;
using DbIntegrity.Core.Configuration;
using DbIntegrity.Core.Scanning;

namespace DbIntegrity.Cli.Tests.Defaults;

/// <summary>A flag's default has one source, ScanOptions' constants: help text, parsed flags and the engine agree.</summary>
public sealed class FlagDefaultTests
{
    [TestCase("check")]
    [TestCase("gate")]
    [TestCase("repair", "plan")]
    [TestCase("migrate", "up")]
    public async Task Help_shows_the_engine_default_of_grace_and_timeout(params string[] command)
    {
        var help = await CliRun.RunAsync([.. command, "--help"]);

        Assert.That(help.ExitCode, Is.EqualTo((int)ExitCode.Success), help.ToString());
        Assert.That(help.Stdout, Does.Match(OptionLine("--grace <DURATION>", ScanOptions.DefaultGrace)));
        Assert.That(help.Stdout, Does.Contain($"(default {ScanOptions.DefaultGrace}"));
        Assert.That(help.Stdout, Does.Match(OptionLine("--timeout <DURATION>", ScanOptions.DefaultTimeout)));
        Assert.That(help.Stdout, Does.Contain($"(default {ScanOptions.DefaultTimeout}"));
    }

    [TestCase("check")]
    [TestCase("gate")]
    [TestCase("serve")]
    public async Task Help_shows_the_engine_default_of_deep_parallelism(string command)
    {
        var help = await CliRun.RunAsync(command, "--help");

        Assert.That(help.Stdout, Does.Match(OptionLine("--deep-parallelism <N>", ScanOptions.DefaultDeepParallelism.ToString(CultureInfo.InvariantCulture))));
    }

    [Test]
    public async Task Serve_help_shows_its_own_defaults_and_the_settings_use_them()
    {
        var help = await CliRun.RunAsync("serve", "--help");
        var settings = new ServeSettings();

        Assert.Multiple(() =>
        {
            Assert.That(help.Stdout, Does.Match(OptionLine("--interval <DURATION>", ServeSettings.DefaultInterval)));
            Assert.That(help.Stdout, Does.Match(OptionLine("--jitter <DURATION>", ServeSettings.DefaultJitter)));
            Assert.That(help.Stdout, Does.Match(OptionLine("--listen <ADDRESS>", ServeSettings.DefaultListen)));
            Assert.That(settings.Interval, Is.EqualTo(ServeSettings.DefaultInterval));
            Assert.That(settings.Jitter, Is.EqualTo(ServeSettings.DefaultJitter));
            Assert.That(settings.UnreadyAfter, Is.EqualTo(ServeSettings.DefaultUnreadyAfter));
            Assert.That(settings.History, Is.EqualTo(ServeSettings.DefaultHistory));
        });
    }

    [Test]
    public void The_engine_without_options_uses_the_same_defaults_as_the_flags()
    {
        var engine = new ScanOptions();

        Assert.That(engine.Grace, Is.EqualTo(Durations.Parse(ScanOptions.DefaultGrace, "--grace")));
        Assert.That(engine.Grace, Is.EqualTo(TimeSpan.FromMinutes(5)), "the documented default of --grace");
        Assert.That(engine.DeepParallelism, Is.EqualTo(ScanOptions.DefaultDeepParallelism));
        Assert.That(Durations.Parse(ScanOptions.DefaultTimeout, "--timeout"), Is.EqualTo(TimeSpan.FromMinutes(30)), "the documented default of --timeout");
    }

    private static string OptionLine(string option, string value) => $@"{Regex.Escape(option)}\s+{Regex.Escape(value)}\s";
}
