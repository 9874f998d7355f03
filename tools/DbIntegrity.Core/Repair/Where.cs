namespace DbIntegrity.Core.Repair;

/// <summary>Column filters for <see cref="RepairFact.RowCount"/> and row lookups.</summary>
internal static class Where
{
    public static IReadOnlyDictionary<string, string?> Identifier(string? identifier) =>
        new Dictionary<string, string?> { ["plugin_unique_identifier"] = identifier };

    public static IReadOnlyDictionary<string, string?> TenantPlugin(string? tenantId, string? pluginId) =>
        new Dictionary<string, string?> { ["tenant_id"] = tenantId, ["plugin_id"] = pluginId };
}
