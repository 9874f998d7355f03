using DbIntegrity.Cli.Commands.Repair;
using DbIntegrity.Cli.Tests.Infrastructure;

namespace DbIntegrity.Cli.Tests.TestHooks;

/// <summary>
/// The crash tests' pause hook in <c>repair apply</c> is honoured only with the second, long variable; alone it is
/// ignored with a warning. The plan path does not exist, so every run stops before any connection.
/// </summary>
public sealed class PauseHookTests
{
    private const string NoPlan = "/no/such/dir/plan.json";

    [Test]
    public async Task The_pause_variable_alone_is_ignored_with_a_warning()
    {
        var result = await CliRun.RunAsync(new Dictionary<string, string> { [RepairApplyCommand.PauseVariable] = "committed" }, "repair", "apply", NoPlan);

        Assert.That(result.ExitCode, Is.EqualTo((int)ExitCode.UsageError), result.ToString());
        Assert.That(result.Stderr, Does.Contain($"{RepairApplyCommand.PauseVariable} is set but ignored: test hooks are off"));
        Assert.That(result.Stderr, Does.Not.Contain("TEST HOOKS ON"));
        Assert.That(result.Stderr, Does.Contain($"There is no plan file {NoPlan}"));
    }

    [Test]
    public async Task With_hooks_on_the_pause_is_announced_loudly_before_anything_else()
    {
        var environment = new Dictionary<string, string> { [RepairApplyCommand.PauseVariable] = "committed", [RepairApplyCommand.HooksVariable] = RepairApplyCommand.HooksOn };

        var result = await CliRun.RunAsync(environment, "repair", "apply", NoPlan);

        Assert.That(result.ExitCode, Is.EqualTo((int)ExitCode.UsageError), result.ToString());
        Assert.That(result.Stderr, Does.StartWith($"TEST HOOKS ON ({RepairApplyCommand.HooksVariable}): this apply stops at committed"));
    }

    [Test]
    public async Task With_hooks_on_an_unknown_point_is_a_usage_error_naming_the_points()
    {
        var environment = new Dictionary<string, string> { [RepairApplyCommand.PauseVariable] = "half-way", [RepairApplyCommand.HooksVariable] = RepairApplyCommand.HooksOn };

        var result = await CliRun.RunAsync(environment, "repair", "apply", NoPlan);

        Assert.That(result.ExitCode, Is.EqualTo((int)ExitCode.UsageError), result.ToString());
        Assert.That(result.Stderr, Does.Contain($"{RepairApplyCommand.PauseVariable}=half-way names no point of repair apply: use one of backup-written, objects-copied, rows-changed, committed, first-object-deleted"));
        Assert.That(result.Stderr, Does.Not.Contain("There is no plan file"));
    }

    [Test]
    public async Task The_hooks_variable_with_another_value_leaves_hooks_off()
    {
        var environment = new Dictionary<string, string> { [RepairApplyCommand.PauseVariable] = "committed", [RepairApplyCommand.HooksVariable] = "1" };

        var result = await CliRun.RunAsync(environment, "repair", "apply", NoPlan);

        Assert.That(result.Stderr, Does.Contain("is set but ignored"));
    }
}
