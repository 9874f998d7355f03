using System.Text;
using System.Text.Json.Nodes;
using DbIntegrity.Core.Plugins;

namespace DbIntegrity.Simulator.Packages;

/// <summary>The files of a package being built, by path; icons are also kept by their name relative to <c>_assets/</c>.</summary>
internal sealed class PackageFiles
{
    public const string AssetsFolder = "_assets/";

    private readonly SortedDictionary<string, byte[]> _files = new(Utf8Ordinal.Instance);
    private readonly SortedDictionary<string, byte[]> _icons = new(Utf8Ordinal.Instance);

    /// <summary>All files, sorted by path as the daemon's packager writes them (docs/daemon/packages.md#container).</summary>
    public IReadOnlyDictionary<string, byte[]> All => _files;

    /// <summary>Icon file name (relative to <c>_assets/</c>) to content.</summary>
    public IReadOnlyDictionary<string, byte[]> Icons => _icons;

    public void AddText(string path, string text) => Add(path, Encoding.UTF8.GetBytes(text));

    public void AddYaml(string path, JsonNode node) => AddText(path, YamlText.Write(node));

    public string AddIcon(PackageIcon icon)
    {
        _icons[icon.FileName] = icon.Content;
        Add(AssetsFolder + icon.FileName, icon.Content);
        return icon.FileName;
    }

    private void Add(string path, byte[] content)
    {
        if (!_files.TryAdd(path, content))
        {
            throw new ArgumentException($"The package already has a file {path}: give icons and providers distinct names.");
        }
    }
}
