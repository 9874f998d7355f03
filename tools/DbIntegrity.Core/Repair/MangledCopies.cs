using DbIntegrity.Core.Plugins;

namespace DbIntegrity.Core.Repair;

/// <summary>
/// Copies of a package whose <c>:</c> a copy tool replaced (dify#22741), looked up under every prefix the daemon keeps
/// packages under (<c>plugin/</c> and <c>plugin_packages/</c>): the README promises a restore from such a copy wherever
/// the copy tool left it. A copy counts only when its §6.3 checksum is the identifier's.
/// </summary>
internal static class MangledCopies
{
    // What copy tools put in place of ':' (the same set installed-key-invalid recognises): URL-encoding, '_', '-', ' ', '%'.
    private static readonly string[] Replacements = ["_", "-", " ", "%3A", "%3a", "%"];

    /// <summary>A verified mangled copy of <paramref name="identifier"/>'s package, or null. Costs at most a HEAD per candidate key.</summary>
    public static async Task<ObjectSource?> FindAsync(PlanBuilder plan, PluginUniqueIdentifier identifier, CancellationToken cancellationToken)
    {
        if (plan.VerifiedMangledKeys.GetValueOrDefault(identifier.Value) is { } known)
        {
            return new ObjectSource(null, known);
        }

        foreach (var replacement in Replacements)
        {
            var mangled = identifier.Value.Replace(":", replacement, StringComparison.Ordinal);
            foreach (var key in new[] { plan.Layout.PackageKey(mangled), plan.Layout.InstalledKey(mangled) })
            {
                if (await plan.State.HeadAsync(key, cancellationToken) is not null && await plan.State.ChecksumAsync(null, key, cancellationToken) == identifier.Checksum)
                {
                    plan.VerifiedMangledKeys.TryAdd(identifier.Value, key);
                    return new ObjectSource(null, key);
                }
            }
        }

        return null;
    }
}
