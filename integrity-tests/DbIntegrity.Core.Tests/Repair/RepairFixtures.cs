using DbIntegrity.Core.Configuration;
using DbIntegrity.Core.Repair;
using DbIntegrity.Core.Reporting;
using DbIntegrity.Core.Rules;

namespace DbIntegrity.Core.Tests.Repair;

/// <summary>Identifiers, findings and reports for planner tests.</summary>
internal static class RepairFixtures
{
    public const string Sum = "3f2a9c1d5e7b8a0c2d4e6f8a1b3c5d7e9f0a2b4c6d8e0f1a3b5c7d9e1f2a4b6c";
    public const string OtherSum = "aaaa9c1d5e7b8a0c2d4e6f8a1b3c5d7e9f0a2b4c6d8e0f1a3b5c7d9e1f2a4b6c";
    public const string Email = "langgenius/email:0.0.7@" + Sum;
    public const string Openai = "langgenius/openai:0.2.7@" + Sum;
    public const string Tenant = "0190d5a1-7e57-7000-8000-000000000001";
    public const string OtherTenant = "0190d5a1-7e57-7000-8000-000000000002";

    public static readonly RepairTarget Target = RepairTarget.Create("db", 5432, "dify_plugin", "dify-plugins", StorageLayout.Default);

    public static Finding Finding(string rule, Severity severity = Severity.Error, string? table = null, string? rowId = null, string? identifier = null,
        string? objectKey = null, string? tenantId = null, string? pluginId = null, Dictionary<string, string>? details = null) => new()
        {
            Rule = rule,
            Severity = severity,
            Message = $"{rule} finding",
            Table = table,
            RowId = rowId,
            Identifier = identifier,
            ObjectKey = objectKey,
            TenantId = tenantId,
            PluginId = pluginId,
            Details = details,
        };

    public static ScanReport Report(params Finding[] findings) => new()
    {
        Status = findings.Any(f => f.Severity == Severity.Error) ? ScanStatus.Inconsistent : ScanStatus.Consistent,
        StartedAt = DateTimeOffset.UnixEpoch,
        Duration = TimeSpan.FromSeconds(1),
        Database = "test",
        Storage = "test",
        Findings = findings,
        CountsByRule = findings.GroupBy(f => f.Rule).ToDictionary(g => g.Key, g => g.Count()),
        CountsBySeverity = Enum.GetValues<Severity>().ToDictionary(s => s, s => findings.Count(f => f.Severity == s)),
        RulesRun = [],
        RulesSkipped = [],
        Scanned = new Dictionary<string, long>(),
    };

    public static Task<RepairPlan> PlanAsync(FakeRepairState state, params Finding[] findings) =>
        PlanAsync(state, new RepairPlanOptions(), findings);

    public static Task<RepairPlan> PlanAsync(FakeRepairState state, RepairPlanOptions options, params Finding[] findings) =>
        RepairPlanner.PlanAsync(Report(findings), state, Target, options, DateTimeOffset.UnixEpoch, CancellationToken.None);

    public static string Id(System.Text.Json.JsonElement row) => RowJson.Id(row);
}
