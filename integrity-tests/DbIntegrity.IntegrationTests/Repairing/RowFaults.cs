using DbIntegrity.IntegrationTests.Checking;
using static DbIntegrity.Simulator.Seeding.HealthyDeployment;

namespace DbIntegrity.IntegrationTests.Repairing;

/// <summary>Row-level faults beside the incident, so a repair transaction has several changes to make.</summary>
internal static class RowFaults
{
    public const string StrangerTenant = "0190d5a1-7e57-7000-8000-0000000000ff";

    /// <summary>refers off by 5 (google), a category row for a tenant with no installation, a tenant's missing category row (slack).</summary>
    public static async Task BreakAsync(DeploymentUnderTest d)
    {
        var google = d.Deployment.Installation(Tenant(0), Plugins.Google);
        await d.Database.ExecuteAsync($"UPDATE plugins SET refers = refers + 5 WHERE id = '{google.PluginRowId}'");
        // A copy of google's category row for a tenant that has nothing installed (every column copied, legacy ones too).
        await d.Database.ExecuteAsync($"""
            INSERT INTO tool_installations
            SELECT (json_populate_record(NULL::tool_installations, (row_to_json(c)::jsonb || jsonb_build_object('id', gen_random_uuid(), 'tenant_id', '{StrangerTenant}'))::json)).*
            FROM tool_installations c WHERE id = '{google.CategoryRow!.Id}'
            """);
        var slack = d.Deployment.Installation(Tenant(1), Plugins.SlackBot);
        await d.Database.ExecuteAsync($"DELETE FROM tool_installations WHERE id = '{slack.CategoryRow!.Id}'");
    }
}
