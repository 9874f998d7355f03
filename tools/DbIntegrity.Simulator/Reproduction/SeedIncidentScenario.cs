using DbIntegrity.Core.Packages;
using DbIntegrity.Core.Storage;
using DbIntegrity.Simulator.Packages;
using DbIntegrity.Simulator.Seeding;

namespace DbIntegrity.Simulator.Reproduction;

/// <summary>
/// The incident that started DbIntegrity: four <c>langgenius/openai</c> declarations whose packages are gone
/// (daemon#736, docs/daemon/storage.md#the-30-second-loop last case, docs/daemon/issues.md#issues), and junk under <c>plugin/</c> that the 30-second loop trips over
/// (folder markers and a ':'-mangled copy, dify#22741, docs/daemon/storage.md#listing).
/// </summary>
public sealed class SeedIncidentScenario : IReproductionScenario
{
    // OpenAI versions uploaded by upgrade attempts and never installed; 0.2.8 is already uploaded-only in the base.
    private static readonly string[] ExtraOpenAiVersions = ["0.2.9", "0.3.0", "0.3.1"];

    public string Name => "seed-incident";

    public string Summary => "Four langgenius/openai declarations whose packages are gone; folder markers (on a folder: a nested .DS_Store and ._.DS_Store) and a ':'-mangled key under plugin/.";

    public string Story =>
        "Marketplace upgrade attempts uploaded OpenAI 0.2.8, 0.2.9, 0.3.0 and 0.3.1 (a plugin_declarations row and a package each) without "
        + "installing them. A cleanup then deleted the OpenAI packages no plugins row referenced, treating them as garbage, but left their "
        + "declarations (docs/daemon/rules.md#harmless-orphans: those packages were harmless orphans; without them the declarations are not). An `aws s3 sync` "
        + "from the old storage added the folder markers plugin/ and plugin/langgenius/ and a copy of OpenAI 0.2.7's installed marker "
        + "with ':' replaced by '_' (dify#22741). On local storage, where a folder has no marker, the copy made on a Mac left "
        + "plugin/langgenius/.DS_Store and plugin/langgenius/._.DS_Store instead.";

    public string DaemonSymptoms =>
        "Every 30 seconds, three times: `failed to create PluginUniqueIdentifier from path` … `plugin_unique_identifier is not valid` "
        + "(for \"\", \"langgenius/\" and the mangled key; on local storage for the two Mac files and the mangled key; before daemon 0.2.0 no plugin launched at all). Upgrading OpenAI to any of the "
        + "four versions fails with `failed to get package file`: Dify finds the declaration, skips the upload, and the package is not "
        + "there (daemon#736).";

    public string SchemaTarget => "latest";

    public IReadOnlyDictionary<string, int> ExpectedFindings { get; } = new Dictionary<string, int>
    {
        ["declaration-package-missing"] = 4,
        ["installed-key-invalid"] = 3,
    };

    public async Task<ScenarioOutcome> SeedAsync(DeploymentSeeder seeder, IObjectWriter objects, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(seeder);
        ArgumentNullException.ThrowIfNull(objects);
        var deployment = await ScenarioBase.SeedAsync(seeder, cancellationToken);
        var uploads = new List<SeededUpload> { deployment.Upload(HealthyDeployment.Plugins.OpenAi, "0.2.8") };
        foreach (var version in ExtraOpenAiVersions)
        {
            var package = PackageBuilder.Build(new PackageSpec("langgenius", "openai", version, PluginCategory.Model) { Label = "OpenAI" });
            uploads.Add(await seeder.UploadAsync(package, cancellationToken));
        }

        var breakage = new List<string>();
        foreach (var upload in uploads)
        {
            await objects.DeleteAsync(upload.PackageKey, cancellationToken);
            breakage.Add($"deleted {upload.PackageKey}; its plugin_declarations row {upload.DeclarationId} stays");
        }

        breakage.AddRange(await CopyLeftovers.AddAsync(objects, seeder.Layout, cancellationToken));

        // docs/daemon/storage.md#key-layout: the installed marker is a full copy of the package; the mangled copy carries the same bytes.
        var openAi = deployment.InstallationsOf(deployment.Upload(HealthyDeployment.Plugins.OpenAi, "0.2.7").Identifier.Value)[0];
        var mangledKey = StorageMigrationScenario.Mangle(openAi.InstalledKey!);
        await objects.PutAsync(mangledKey, openAi.Package.Bytes, cancellationToken);
        breakage.Add($"added {mangledKey}, a copy of {openAi.InstalledKey} with ':' replaced by '_'");

        return new ScenarioOutcome(deployment with { Uploads = [.. deployment.Uploads, .. uploads.Skip(1)] }, breakage);
    }
}
