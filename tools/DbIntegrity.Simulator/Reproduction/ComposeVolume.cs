using System.Globalization;
using System.IO.Compression;
using System.Text;
using DbIntegrity.Core.Configuration;
using DbIntegrity.Core.Storage;
using DbIntegrity.Simulator.Packages;
using DbIntegrity.Simulator.Seeding;

namespace DbIntegrity.Simulator.Reproduction;

/// <summary>
/// What a daemon on Dify's compose volume holds beside its three object prefixes (docs/daemon/storage.md#stores):
/// the working folders (<c>PLUGIN_WORKING_PATH=/app/storage/cwd</c> in Dify's compose) and the plugins' KV storage
/// under <c>PERSISTENCE_STORAGE_PATH</c>. A reproduced local deployment gets them too, so a check or repair run on
/// it shows that it never reads or changes them. Written through the store like every object (crash-safe there); an
/// existing working file is left as it is, as the daemon leaves a working folder it already unpacked.
/// </summary>
public static class ComposeVolume
{
    /// <summary>The working folder's name under the volume: Dify's compose sets <c>PLUGIN_WORKING_PATH=/app/storage/cwd</c>.</summary>
    public const string WorkingFolder = "cwd";

    // The daemon's 0.6.10 runtime creates these (internal/core/local_runtime/setup_python_environment.go): uv's cache
    // beside the plugins, a .venv per plugin, and .venv/dify/plugin.json once its dependencies are installed. The
    // timestamp is fixed so a second reproduce writes the same bytes.
    private static readonly (string Path, string Content)[] VirtualEnvironment =
    [
        (".venv/pyvenv.cfg", "home = /usr/local/bin\nimplementation = CPython\nuv = 0.6.14\nversion_info = 3.12.11\ninclude-system-site-packages = false\n"),
        (".venv/bin/activate", "# This file must be used with \"source bin/activate\" *from bash*\nexport VIRTUAL_ENV=\"$(dirname \"$(dirname \"${BASH_SOURCE[0]}\")\")\"\nexport PATH=\"$VIRTUAL_ENV/bin:$PATH\"\n"),
        (".venv/lib/python3.12/site-packages/dify_plugin/__init__.py", "from dify_plugin.plugin import Plugin\n\n__all__ = [\"Plugin\"]\n"),
        (".venv/lib/python3.12/site-packages/dify_plugin-0.5.1.dist-info/METADATA", "Metadata-Version: 2.4\nName: dify_plugin\nVersion: 0.5.1\n"),
        (".venv/dify/plugin.json", "{\"timestamp\":1735689600}"),
    ];

    /// <summary>
    /// Writes a working folder for every plugin installed locally (<c>cwd/&lt;author&gt;/&lt;name&gt;-&lt;version&gt;@&lt;checksum&gt;</c>,
    /// the unpacked package plus its <c>.venv</c>), uv's cache tag, and one KV entry per tenant and local plugin.
    /// </summary>
    public static async Task<ComposeVolumeContents> LayOutAsync(SeededDeployment deployment, IObjectStore store, StorageLayout layout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(layout);
        var local = deployment.Installations.Where(i => i.Runtime == PluginRuntime.Local).ToList();
        var folders = new List<string>();
        var written = 0;
        written += await WriteIfAbsentAsync(store, $"{WorkingFolder}/.uv-cache/CACHEDIR.TAG", Encoding.ASCII.GetBytes("Signature: 8a477f597d28d172789f06886806bc55\n"), cancellationToken);
        foreach (var package in local.Select(i => i.Package).DistinctBy(p => p.Identifier.Value).OrderBy(p => p.Identifier.Value, StringComparer.Ordinal))
        {
            var folder = $"{WorkingFolder}/{WorkingFolderName(package)}";
            folders.Add(folder);
            foreach (var (path, content) in Unpack(package).Concat(VirtualEnvironment.Select(f => (f.Path, Encoding.UTF8.GetBytes(f.Content)))))
            {
                written += await WriteIfAbsentAsync(store, $"{folder}/{path}", content, cancellationToken);
            }
        }

        var entries = new List<string>();
        foreach (var installation in local.DistinctBy(i => (i.TenantId, i.PluginId)))
        {
            // internal/core/persistence/wrapper.go: <PERSISTENCE_STORAGE_PATH>/<tenant>/<plugin id>/<key>.
            var key = string.Create(CultureInfo.InvariantCulture, $"{layout.PersistencePath}/{installation.TenantId}/{installation.PluginId}/last_sync");
            await store.PutAsync(key, Encoding.UTF8.GetBytes("{\"at\":\"2025-01-01T00:00:00Z\"}"), cancellationToken);
            entries.Add(key);
        }

        return new ComposeVolumeContents(folders, written, entries);
    }

    /// <summary>
    /// <c>&lt;author&gt;/&lt;name&gt;-&lt;version&gt;@&lt;checksum&gt;</c>: the identifier with ':' replaced by '-', as the daemon
    /// names a working folder (internal/core/local_runtime/constructor.go, buildPluginWorkingPath).
    /// </summary>
    public static string WorkingFolderName(DifyPackage package)
    {
        ArgumentNullException.ThrowIfNull(package);
        return package.Identifier.Value.Replace(':', '-');
    }

    private static IEnumerable<(string Path, byte[] Content)> Unpack(DifyPackage package)
    {
        using var archive = new ZipArchive(new MemoryStream(package.Bytes, writable: false), ZipArchiveMode.Read);
        var files = new List<(string, byte[])>();
        foreach (var entry in archive.Entries.Where(e => !e.FullName.EndsWith('/')))
        {
            using var stream = entry.Open();
            using var content = new MemoryStream();
            stream.CopyTo(content);
            files.Add((entry.FullName, content.ToArray()));
        }

        return files;
    }

    private static async Task<int> WriteIfAbsentAsync(IObjectStore store, string key, byte[] content, CancellationToken cancellationToken)
    {
        if (await store.HeadAsync(key, cancellationToken) is not null)
        {
            return 0;
        }

        await store.PutAsync(key, content, cancellationToken);
        return 1;
    }
}
