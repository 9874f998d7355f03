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
        var layout = new StorageLayout
        {
            InstalledPath = Clean("PLUGIN_INSTALLED_PATH", source.Get("PLUGIN_INSTALLED_PATH") ?? Default.InstalledPath),
            PackagePath = Clean("PLUGIN_PACKAGE_CACHE_PATH", source.Get("PLUGIN_PACKAGE_CACHE_PATH") ?? Default.PackagePath),
            MediaPath = Clean("PLUGIN_MEDIA_CACHE_PATH", source.Get("PLUGIN_MEDIA_CACHE_PATH") ?? Default.MediaPath),
            PersistencePath = Clean("PERSISTENCE_STORAGE_PATH", source.Get("PERSISTENCE_STORAGE_PATH") ?? Default.PersistencePath),
        };
        return source.Get(PathPrefixVariable) is { } prefix ? layout.Under(PathPrefixVariable, prefix) : layout;
    }

    /// <summary>
    /// <c>STORAGE_PATH_PREFIX</c> (dify-plugin-daemon PR #697, not in a release yet): <c>path.Join</c>ed in front of the
    /// installed, package, media and persistence prefixes. The daemon refuses <c>..</c> in it; so does this.
    /// </summary>
    public const string PathPrefixVariable = "STORAGE_PATH_PREFIX";

    /// <summary>
    /// The same layout under a common prefix, as Go's <c>path.Join(prefix, path)</c> builds the keys (used for
    /// <c>STORAGE_PATH_PREFIX</c> and Aliyun's <c>ALIYUN_OSS_PATH</c>). A prefix with <c>..</c> is refused; a blank one
    /// ("/" or ".") changes nothing.
    /// </summary>
    public StorageLayout Under(string name, string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        var parts = prefix.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != ".").ToArray();
        if (parts.Contains(".."))
        {
            throw new ConfigurationException($"{name}=\"{prefix}\" contains \"..\": give a plain key prefix such as \"dify/plugins\".");
        }

        if (parts.Length == 0)
        {
            return this;
        }

        var root = string.Join('/', parts);
        return this with
        {
            InstalledPath = $"{root}/{InstalledPath}",
            PackagePath = $"{root}/{PackagePath}",
            MediaPath = $"{root}/{MediaPath}",
            PersistencePath = $"{root}/{PersistencePath}",
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
