using DbIntegrity.IntegrationTests.Checking;
using static DbIntegrity.Simulator.Seeding.HealthyDeployment;

namespace DbIntegrity.IntegrationTests.Repairing;

/// <summary>
/// The incident that started the project, beside healthy tenants: three openai versions lost their packages (two are
/// installed, one only uploaded), folder markers appeared under plugin/, and a copy of the agent's marker has its ':'
/// mangled (dify#22741).
/// </summary>
internal static class Incident
{
    public static readonly string[] LostVersions = ["0.2.6", "0.2.7", "0.2.8"];

    public static readonly string[] FolderMarkers = ["plugin/", "plugin/langgenius/"];

    public static string MangledKey(DeploymentUnderTest d) => d.Deployment.Installation(Tenant(0), Plugins.Agent).InstalledKey!.Replace(':', '_');

    /// <summary>
    /// The keys under plugin/ the daemon fails to parse: the folder markers as the store keeps them (on S3 both; a local
    /// folder none, a marker is the folder itself; Azurite keeps plugin/langgenius without its "/" and plugin outside the
    /// prefix) and the mangled copy. What installed-key-invalid reports and the repair deletes.
    /// </summary>
    public static IReadOnlyList<string> JunkKeys(DeploymentUnderTest d) =>
        [.. FolderMarkers.SelectMany(d.Bucket.FolderMarkerKeys).Where(k => k.StartsWith("plugin/", StringComparison.Ordinal)), MangledKey(d)];

    public static async Task BreakAsync(DeploymentUnderTest d)
    {
        foreach (var version in LostVersions)
        {
            await d.Bucket.Store.DeleteAsync(d.Deployment.Upload(Plugins.OpenAi, version).PackageKey, CancellationToken.None);
        }

        foreach (var marker in FolderMarkers)
        {
            await d.Bucket.Store.PutAsync(marker, ReadOnlyMemory<byte>.Empty, CancellationToken.None);
        }
        var agent = d.Deployment.Installation(Tenant(0), Plugins.Agent);
        await d.Bucket.Store.CopyAsync(d.Bucket.Name, agent.InstalledKey!, MangledKey(d), CancellationToken.None);
    }
}
