using DbIntegrity.Core.Gate;
using DbIntegrity.Core.Migrating;
using DbIntegrity.Core.Reporting;
using DbIntegrity.Core.Rules;

namespace DbIntegrity.Tests.Shared;

/// <summary>
/// Reports built by hand around a list of findings of one error rule, for the tests of what is done with a report
/// (rendering, streaming, storing) rather than how a scan makes one. Linked into each test project that needs it.
/// </summary>
internal static class SyntheticReports
{
    /// <summary>An inconsistent check whose findings are <paramref name="findings"/>, all of <paramref name="rule"/>.</summary>
    public static ScanReport Inconsistent(IReadOnlyList<Finding> findings, string rule, DateTimeOffset startedAt) => new()
    {
        Status = ScanStatus.Inconsistent,
        StartedAt = startedAt,
        Duration = TimeSpan.FromSeconds(30),
        Database = "u@h:5432/dify_plugin",
        Storage = "s3://b",
        Findings = findings,
        CountsByRule = new Dictionary<string, int> { [rule] = findings.Count },
        CountsBySeverity = new Dictionary<Severity, int> { [Severity.Error] = findings.Count },
        RulesRun = [rule],
        RulesSkipped = [],
        Scanned = new Dictionary<string, long>(),
    };

    /// <summary>A gate that blocked an up-migration on <paramref name="check"/>'s error findings.</summary>
    public static GateReport BlockedGate(ScanReport check, string command, string rule) => new()
    {
        Command = command,
        Verdict = GateVerdict.Block,
        Blockers = [$"the integrity check found {check.Findings.Count} error finding(s): {rule}."],
        StartedAt = check.StartedAt,
        Duration = check.Duration,
        Database = check.Database,
        Storage = check.Storage,
        Direction = MigrationDirection.Up,
        TargetId = 0,
        Pending = [],
        Check = check,
        Preconditions = [],
        MigrationChecks = [],
    };
}
