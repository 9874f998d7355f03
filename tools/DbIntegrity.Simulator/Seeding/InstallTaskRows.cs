using System.Text.Json.Nodes;
using DbIntegrity.Simulator.Packages;

namespace DbIntegrity.Simulator.Seeding;

/// <summary>An <c>install_tasks</c> row (docs/daemon/database.md#tables, <c>models/task.go</c>).</summary>
internal static class InstallTaskRows
{
    public static Task<Guid> InsertAsync(
        SeedingSession session, Guid tenantId, InstallTaskStatus status, IReadOnlyList<DifyPackage> packages, CancellationToken cancellationToken)
    {
        var statusText = status.ToString().ToLowerInvariant();
        var items = new JsonArray(packages.Select(p => (JsonNode?)Item(p, statusText)).ToArray());
        var finished = status is InstallTaskStatus.Success or InstallTaskStatus.Failed;
        return session.InsertAsync("install_tasks",
        [
            ("status", statusText),
            ("tenant_id", tenantId),
            ("total_plugins", packages.Count),
            ("completed_plugins", finished ? packages.Count : 0),
            ("plugins", JsonTree.Serialize(items)),
        ], cancellationToken);
    }

    // One entry per plugin: icon and icon_dark (0.2.0+) hold asset ids like the declaration (docs/daemon/packages.md#declaration), source is 0.5.4+.
    private static JsonObject Item(DifyPackage package, string status)
    {
        var declaration = JsonNode.Parse(package.Declaration)!;
        return JsonTree.Object(
            ("plugin_unique_identifier", package.Identifier.Value),
            ("labels", declaration["label"]!.DeepClone()),
            ("icon", declaration["icon"]!.GetValue<string>()),
            ("icon_dark", declaration["icon_dark"]?.GetValue<string>() ?? string.Empty),
            ("plugin_id", package.PluginId),
            ("status", status),
            ("message", status == "failed" ? "failed to install plugin: init environment failed" : string.Empty),
            ("source", "marketplace"));
    }
}
