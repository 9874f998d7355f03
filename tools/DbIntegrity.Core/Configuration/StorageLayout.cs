namespace DbIntegrity.Core.Configuration;

/// <summary>
/// The key prefixes the daemon uses in its one bucket (reference §3.1, §3.2 and §7.1). All four "buckets" share the
/// storage and are told apart by prefix.
/// </summary>
public sealed record StorageLayout
{
    public static StorageLayout Default { get; } = new();

    /// <summary><c>PLUGIN_INSTALLED_PATH</c>: installed markers, <c>plugin/&lt;identifier&gt;</c>.</summary>
    public string InstalledPath { get; init; } = "plugin";

    /// <summary><c>PLUGIN_PACKAGE_CACHE_PATH</c>: uploaded packages, <c>plugin_packages/&lt;identifier&gt;</c>.</summary>
    public string PackagePath { get; init; } = "plugin_packages";

    /// <summary><c>PLUGIN_MEDIA_CACHE_PATH</c>: icons, <c>assets/&lt;asset id&gt;</c>.</summary>
    public string MediaPath { get; init; } = "assets";

    /// <summary><c>PERSISTENCE_STORAGE_PATH</c>: plugin KV storage.</summary>
    public string PersistencePath { get; init; } = "persistence";

    public static StorageLayout FromDaemonVariables(SettingsSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return new StorageLayout
        {
            InstalledPath = Clean("PLUGIN_INSTALLED_PATH", source.Get("PLUGIN_INSTALLED_PATH") ?? Default.InstalledPath),
            PackagePath = Clean("PLUGIN_PACKAGE_CACHE_PATH", source.Get("PLUGIN_PACKAGE_CACHE_PATH") ?? Default.PackagePath),
            MediaPath = Clean("PLUGIN_MEDIA_CACHE_PATH", source.Get("PLUGIN_MEDIA_CACHE_PATH") ?? Default.MediaPath),
            PersistencePath = Clean("PERSISTENCE_STORAGE_PATH", source.Get("PERSISTENCE_STORAGE_PATH") ?? Default.PersistencePath),
        };
    }

    /// <summary>The listing prefix of a path, with its trailing slash (the daemon lists <c>path + "/"</c>, §3.3).</summary>
    public static string ListingPrefix(string path) => path + "/";

    public string InstalledKey(string identifier) => $"{InstalledPath}/{identifier}";

    public string PackageKey(string identifier) => $"{PackagePath}/{identifier}";

    public string AssetKey(string assetId) => $"{MediaPath}/{assetId}";

    /// <summary>
    /// Go's path.Join cleans the prefix: no "./", no duplicate or trailing slashes. A prefix that cleans to nothing
    /// would make the prefixes overlap, so it is refused.
    /// </summary>
    public static string Clean(string name, string value)
    {
        var parts = value.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != ".").ToArray();
        if (parts.Length == 0 || parts.Contains(".."))
        {
            throw new ConfigurationException($"{name}=\"{value}\" is not a usable key prefix: give a path such as \"plugin\".");
        }

        return string.Join('/', parts);
    }

    /// <summary>Fails when one prefix contains another, which would make keys of one kind look like another.</summary>
    public void Validate()
    {
        var paths = new[] { ("PLUGIN_INSTALLED_PATH", InstalledPath), ("PLUGIN_PACKAGE_CACHE_PATH", PackagePath), ("PLUGIN_MEDIA_CACHE_PATH", MediaPath) };
        foreach (var (nameA, a) in paths)
        {
            foreach (var (nameB, b) in paths)
            {
                if (!ReferenceEquals(nameA, nameB) && (a == b || b.StartsWith(a + "/", StringComparison.Ordinal)))
                {
                    throw new ConfigurationException($"{nameA}={a} and {nameB}={b} overlap: each kind of object needs its own prefix.");
                }
            }
        }
    }
}
