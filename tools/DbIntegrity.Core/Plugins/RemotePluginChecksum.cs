using System.Security.Cryptography;
using System.Text;

namespace DbIntegrity.Core.Plugins;

/// <summary>
/// The checksum of a remote (debugging) plugin's identifier: <c>SHA256(JSON(config) ‖ tenant_id)</c>, lowercase hex
/// (docs/daemon/packages.md#checksum, <c>debugging_runtime/checksum.go</c>). Such identifiers also carry the tenant id as their author
/// (<c>debugging_runtime/environment.go</c>), which is what makes them "remote-like" (docs/daemon/identifiers.md).
/// </summary>
public static class RemotePluginChecksum
{
    public static string Compute(string declarationJson, string tenantId)
    {
        ArgumentNullException.ThrowIfNull(declarationJson);
        ArgumentNullException.ThrowIfNull(tenantId);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(declarationJson + tenantId)));
    }
}
