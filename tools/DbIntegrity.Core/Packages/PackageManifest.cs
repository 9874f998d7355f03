namespace DbIntegrity.Core.Packages;

/// <summary>The identity a package's <c>manifest.yaml</c> declares (docs/daemon/packages.md#declaration).</summary>
/// <param name="Author">Empty when the manifest has none.</param>
/// <param name="Name">The manifest name.</param>
/// <param name="Version">The manifest version, as written.</param>
/// <param name="Type">The manifest type (<c>plugin</c> for plugins, <c>bundle</c> for bundles).</param>
internal sealed record PackageManifest(string Author, string Name, string Version, string Type)
{
    /// <summary><c>author/name</c>, or the name alone when there is no author.</summary>
    public string PluginId => Author.Length == 0 ? Name : $"{Author}/{Name}";
}
