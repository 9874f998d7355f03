using DbIntegrity.Core.Storage;
using DbIntegrity.Simulator.Seeding;

namespace DbIntegrity.Simulator.Reproduction;

/// <summary>
/// A deployment whose storage was copied to S3 by a tool that replaced ':' in every key and added folder markers
/// (dify#22741, docs/daemon/storage.md#listing, docs/daemon/issues.md#issues). The database is intact; no package or installed marker is where it should be.
/// </summary>
public sealed class StorageMigrationScenario : IReproductionScenario
{
    public string Name => "storage-migration";

    public string Summary => "Every plugin/ and plugin_packages/ key copied with ':' replaced by '_', plus folder markers; the database is intact.";

    public string Story =>
        "The operator moved plugin storage from local disk to S3 with a copy tool that cannot write ':' in names (dify#22741): "
        + "plugin/langgenius/openai:0.2.7@… arrived as plugin/langgenius/openai_0.2.7@…, and the tool created the folder markers "
        + "plugin/ and plugin/langgenius/ (on local storage, which has no markers: a Mac's plugin/langgenius/.DS_Store and ._.DS_Store). "
        + "Assets have no ':' and arrived intact.";

    public string DaemonSymptoms =>
        "Every 30 seconds, for each of the 10 keys under plugin/: `failed to create PluginUniqueIdentifier from path` … "
        + "`plugin_unique_identifier is not valid` (before daemon 0.2.0: `list installed plugins failed` and nothing launches). "
        + "No plugin starts (`no available node`), and installing any uploaded version fails with `failed to get package file`.";

    public string SchemaTarget => "latest";

    // The base has 10 uploads and 8 local plugins rows (docs/daemon/storage.md#lifecycle): each loses both objects.
    public IReadOnlyDictionary<string, int> ExpectedFindings { get; } = new Dictionary<string, int>
    {
        ["declaration-package-missing"] = 10,
        ["plugin-package-missing"] = 8,
        ["plugin-installed-object-missing"] = 8,
        ["installed-key-invalid"] = 10,
    };

    /// <summary>The key as the copy tool wrote it: ':' replaced by '_' (the mangling seen in dify#22741).</summary>
    public static string Mangle(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key.Replace(':', '_');
    }

    public async Task<ScenarioOutcome> SeedAsync(DeploymentSeeder seeder, IObjectWriter objects, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(seeder);
        ArgumentNullException.ThrowIfNull(objects);
        var deployment = await ScenarioBase.SeedAsync(seeder, cancellationToken);
        var copies = deployment.Uploads.Select(u => (Key: u.PackageKey, u.Package.Bytes))
            .Concat(deployment.Installations.Where(i => i.InstalledKey is not null).Select(i => (Key: i.InstalledKey!, i.Package.Bytes)))
            .DistinctBy(c => c.Key)
            .OrderBy(c => c.Key, StringComparer.Ordinal)
            .ToList();
        var breakage = new List<string>();
        foreach (var (key, bytes) in copies)
        {
            await objects.PutAsync(Mangle(key), bytes, cancellationToken);
            await objects.DeleteAsync(key, cancellationToken);
            breakage.Add($"moved {key} to {Mangle(key)}");
        }

        breakage.AddRange(await CopyLeftovers.AddAsync(objects, seeder.Layout, cancellationToken));

        return new ScenarioOutcome(deployment, breakage);
    }
}
