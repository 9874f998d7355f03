using System.Text.RegularExpressions;
using DbIntegrity.Cli.Infrastructure;
using DbIntegrity.Cli.Tests.Infrastructure;
using DbIntegrity.Core.Wording;

namespace DbIntegrity.Cli.Tests.Messages;

/// <summary>Core's texts name an action; the CLI's one table names the command for it, and that command exists.</summary>
public sealed class CommandWordsTests
{
    private static readonly string[][] Commands =
    [
        ["check"], ["serve"], ["gate"], ["repair", "plan"], ["repair", "apply"], ["backup"], ["restore"], ["reproduce"], ["version"],
        ["migrate", "status"], ["migrate", "up"], ["migrate", "down"], ["migrate", "baseline"],
    ];

    [TestCaseSource(nameof(Steps))]
    public async Task Each_next_step_is_a_command_the_cli_has_with_the_flags_it_names(NextStep step)
    {
        // Given the CLI's words for the step.
        var words = CommandWords.For(step).Split(' ');
        var command = words.Skip(1).TakeWhile(w => !w.StartsWith('-')).ToArray();
        var flags = words.Skip(1 + command.Length).Where(w => w.StartsWith('-')).ToList();

        // When that command's help is asked for.
        var help = await CliRun.RunAsync([.. command, "--help"]);

        // Then it is a dbintegrity command (not a group) and it has every flag the words use.
        Assert.That(words[0], Is.EqualTo("dbintegrity"));
        Assert.That(Commands.Any(c => c.SequenceEqual(command)), Is.True, $"{string.Join(' ', command)} is not a command of dbintegrity");
        Assert.That(help.ExitCode, Is.Zero, help.ToString());
        foreach (var flag in flags)
        {
            Assert.That(Regex.IsMatch(help.Stdout, $@"(?<![\w-]){Regex.Escape(flag)}\b"), Is.True, $"{string.Join(' ', command)} has no {flag}:\n{help}");
        }
    }

    [TestCaseSource(nameof(Options))]
    public async Task Each_user_option_is_a_flag_of_some_command(UserOption option)
    {
        var flag = CommandWords.For(option);
        var helps = new List<string>();
        foreach (var command in Commands)
        {
            var help = await CliRun.RunAsync([.. command, "--help"]);
            Assert.That(help.ExitCode, Is.Zero, help.ToString());
            helps.Add(help.Stdout);
        }

        Assert.That(flag, Does.StartWith("-"));
        Assert.That(helps.Any(h => Regex.IsMatch(h, $@"(?<![\w-]){Regex.Escape(flag)}\b")), Is.True, $"no command has {flag}");
    }

    [Test]
    public void Filling_a_text_replaces_every_placeholder_and_nothing_else()
    {
        var text = $"Make one with: {HostWords.Of(NextStep.WriteRepairPlan)} plan.json, or pass {HostWords.Of(UserOption.DatabaseConnection)}; "
            + "keep {next:NoSuchStep}, {option:deep} and {other:Deep} as they are.";

        Assert.That(CommandWords.Fill(text), Is.EqualTo(
            "Make one with: dbintegrity repair plan -o plan.json, or pass --db; keep {next:NoSuchStep}, {option:deep} and {other:Deep} as they are."));
    }

    private static IEnumerable<NextStep> Steps() => Enum.GetValues<NextStep>();

    private static IEnumerable<UserOption> Options() => Enum.GetValues<UserOption>();
}
