using DbIntegrity.Core.Wording;

namespace DbIntegrity.Core.Configuration;

/// <summary>
/// The daemon's local storage (<c>PLUGIN_STORAGE_TYPE=local</c>): a folder whose relative paths are the keys
/// (dify-cloud-kit <c>oss/local/localfile.go</c>, docs/daemon/storage.md#stores).
/// </summary>
public sealed record LocalStorageSettings
{
    /// <summary>The daemon's default root, relative to its working directory (docs/daemon/storage.md#settings).</summary>
    public const string DefaultRoot = "storage";

    /// <summary><c>PLUGIN_STORAGE_LOCAL_ROOT</c>, made absolute against the current directory.</summary>
    public required string Root { get; init; }

    /// <summary>Reads <c>PLUGIN_STORAGE_LOCAL_ROOT</c> (default <c>storage</c>, as the daemon).</summary>
    public static LocalStorageSettings FromDaemonVariables(SettingsSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var root = source.Get("PLUGIN_STORAGE_LOCAL_ROOT") ?? DefaultRoot;
        if (string.IsNullOrWhiteSpace(root))
        {
            throw new ConfigurationException($"PLUGIN_STORAGE_LOCAL_ROOT is empty: set it to the daemon's storage folder (Dify's compose: the volume mounted at /app/storage), or pass {HostWords.Of(UserOption.LocalRoot)}.");
        }

        return new LocalStorageSettings { Root = Path.GetFullPath(root) };
    }

    public string Describe() => $"local folder {Root}";

    public override string ToString() => Describe();
}
