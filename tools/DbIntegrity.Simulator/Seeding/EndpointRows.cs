using System.Security.Cryptography;

namespace DbIntegrity.Simulator.Seeding;

/// <summary>Endpoint setup as <c>install_service.InstallEndpoint</c> does it (docs/daemon/database.md#tables).</summary>
internal static class EndpointRows
{
    private const string Letters = "abcdefghijklmnopqrstuvwxyz";
    private static readonly DateTimeOffset Expiry = new(2050, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// An <c>endpoints</c> row (random 16-letter hook id, expiring 2050-01-01, enabled) and one more
    /// <c>endpoints_setups</c>/<c>endpoints_active</c> on the tenant's installation of the plugin, if there is one.
    /// </summary>
    public static async Task<(Guid Id, string HookId)> InsertAsync(
        SeedingSession session, Guid tenantId, Guid userId, string pluginId, string name, CancellationToken cancellationToken)
    {
        var hookId = RandomNumberGenerator.GetString(Letters, 16);
        var id = await session.InsertAsync("endpoints",
        [
            ("name", name),
            ("hook_id", hookId),
            ("tenant_id", tenantId),
            ("user_id", userId),
            ("plugin_id", pluginId),
            ("expired_at", Expiry),
            ("enabled", true),
            // Dify stores the encrypted settings here; the generated endpoint groups declare none.
            ("settings", "{}"),
        ], cancellationToken);
        await session.ExecuteAsync(
            "UPDATE plugin_installations SET endpoints_setups = endpoints_setups + 1, endpoints_active = endpoints_active + 1 WHERE plugin_id = $1 AND tenant_id = $2",
            cancellationToken, ("plugin_installations", "plugin_id", pluginId), ("plugin_installations", "tenant_id", tenantId));
        return (id, hookId);
    }
}
