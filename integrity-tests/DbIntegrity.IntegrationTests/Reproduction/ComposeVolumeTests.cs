using System.Security.Cryptography;
using System.Text.Json;
using DbIntegrity.Cli;
using DbIntegrity.Core.Configuration;
using DbIntegrity.IntegrationTests.Infrastructure;
using DbIntegrity.Simulator.Reproduction;

namespace DbIntegrity.IntegrationTests.Reproduction;

/// <summary>
/// A new user's path on local storage (issue 10, "Done when"): <c>reproduce</c> on an empty folder lays out a volume
/// shaped like Dify's compose volume, and <c>check</c>, <c>repair plan</c> and <c>repair apply</c>, configured only
/// through the daemon's variables (<c>PLUGIN_STORAGE_TYPE=local</c>, <c>PLUGIN_STORAGE_LOCAL_ROOT</c>), name the
/// scenario's findings, repair them, and never read or change the working folders or the KV storage.
/// </summary>
[Category("Integration")]
[Parallelizable(ParallelScope.Children)]
public sealed class ComposeVolumeTests
{
    [Test]
    public async Task Seed_incident_on_a_compose_volume_is_found_repaired_and_leaves_cwd_and_persistence_untouched()
    {
        // Given the seed incident reproduced on an empty folder read as local storage
        await using var database = await TestDatabase.CreateAsync();
        using var volume = new TempDirectory();
        var root = volume.Path("plugin_daemon");
        Directory.CreateDirectory(root);
        var environment = LocalEnvironment(database, root);
        var seeded = await CliRunner.RunAsync(environment, "reproduce", "seed-incident");
        Assert.That(seeded.ExitCode, Is.EqualTo((int)ExitCode.Success), seeded.ToString());

        // Then the folder is laid out like Dify's compose volume
        Assert.Multiple(() =>
        {
            foreach (var folder in new[] { "plugin", "plugin_packages", "assets", "cwd", "persistence" })
            {
                Assert.That(Directory.Exists(Path.Combine(root, folder)), Is.True, $"{folder}/ in {root}");
            }

            var workingFolders = Directory.GetDirectories(Path.Combine(root, "cwd", "langgenius"));
            Assert.That(workingFolders.Select(Path.GetFileName), Has.Some.Match(@"^openai-0\.2\.7@[0-9a-f]{64}$"), "working folders are named <name>-<version>@<checksum>");
            Assert.That(workingFolders, Has.All.Matches<string>(f => File.Exists(Path.Combine(f, "manifest.yaml")) && File.Exists(Path.Combine(f, ".venv", "dify", "plugin.json"))));
            Assert.That(Directory.EnumerateFiles(Path.Combine(root, "persistence"), "*", SearchOption.AllDirectories), Is.Not.Empty);
        });
        var untouched = Snapshot(root);

        // When check runs, deep too
        var check = await CliRunner.RunAsync(environment, "check", "--grace", "0", "--format", "json");
        var deep = await CliRunner.RunAsync(environment, "check", "--grace", "0", "--deep", "--format", "json");

        // Then it names exactly the scenario's error findings, exit 1, and nothing about cwd/ or persistence/
        foreach (var result in new[] { check, deep })
        {
            Assert.That(result.ExitCode, Is.EqualTo((int)ExitCode.Findings), result.ToString());
            Assert.That(ErrorCounts(result), Is.EquivalentTo(new SeedIncidentScenario().ExpectedFindings), result.Stdout);
            Assert.That(result.Stdout, Does.Not.Contain("cwd/").And.Not.Contain("persistence/"));
        }

        // When the repair is planned and applied
        var plan = volume.Path("plan.json");
        var planned = await CliRunner.RunAsync(environment, "repair", "plan", "--grace", "0", "-o", plan);
        var applied = await CliRunner.RunAsync(environment, "repair", "apply", plan);
        var after = await CliRunner.RunAsync(environment, "check", "--grace", "0", "--deep", "--format", "json");

        // Then the volume is consistent and its working folders and KV entries are byte for byte, time for time, as seeded
        Assert.Multiple(() =>
        {
            Assert.That(planned.ExitCode, Is.EqualTo((int)ExitCode.Findings), planned.ToString());
            Assert.That(planned.Stdout + applied.Stdout, Does.Not.Contain("cwd/").And.Not.Contain("persistence/"));
            Assert.That(applied.ExitCode, Is.EqualTo((int)ExitCode.Success), applied.ToString());
            Assert.That(after.ExitCode, Is.EqualTo((int)ExitCode.Success), after.ToString());
            Assert.That(Snapshot(root), Is.EqualTo(untouched), "cwd/ and persistence/ after the repair");
        });
    }

    [Test]
    public async Task A_healthy_compose_volume_checks_clean_and_a_forced_reproduce_keeps_the_working_folders()
    {
        // Given a healthy volume reproduced over an earlier scenario with --force
        await using var database = await TestDatabase.CreateAsync();
        using var volume = new TempDirectory();
        var environment = LocalEnvironment(database, volume.Root);
        Assert.That((await CliRunner.RunAsync(environment, "reproduce", "storage-migration")).ExitCode, Is.EqualTo((int)ExitCode.Success));
        var workingFiles = Snapshot(volume.Root, ComposeVolume.WorkingFolder);
        var forced = await CliRunner.RunAsync(environment, "reproduce", "healthy", "--force");

        // When check runs
        var check = await CliRunner.RunAsync(environment, "check", "--grace", "0", "--deep");

        // Then it exits 0; --force wiped the daemon's prefixes but no working file (the daemon never deletes them either)
        Assert.Multiple(() =>
        {
            Assert.That(forced.ExitCode, Is.EqualTo((int)ExitCode.Success), forced.ToString());
            Assert.That(forced.Stdout, Does.Contain("working folders under cwd/"));
            Assert.That(check.ExitCode, Is.EqualTo((int)ExitCode.Success), check.ToString());
            Assert.That(Snapshot(volume.Root, ComposeVolume.WorkingFolder), Is.EqualTo(workingFiles));
        });
    }

    [Test]
    public async Task On_a_folder_the_copy_leftovers_are_mac_files_the_daemon_cannot_parse_instead_of_folder_markers()
    {
        await using var database = await TestDatabase.CreateAsync();
        using var volume = new TempDirectory();
        var environment = LocalEnvironment(database, volume.Root);
        Assert.That((await CliRunner.RunAsync(environment, "reproduce", "seed-incident")).ExitCode, Is.EqualTo((int)ExitCode.Success));

        var check = await CliRunner.RunAsync(environment, "check", "--grace", "0", "--format", "json", "--rules", "installed-key-invalid");

        using var json = JsonDocument.Parse(check.Stdout);
        var keys = json.RootElement.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("objectKey").GetString()).ToList();
        Assert.That(keys, Does.Contain("plugin/langgenius/.DS_Store").And.Contain("plugin/langgenius/._.DS_Store"), check.Stdout);
    }

    // The daemon's variables for local storage on the test's own database; the test services' bucket is dropped so
    // nothing but PLUGIN_STORAGE_TYPE picks the store.
    private static SettingsSource LocalEnvironment(TestDatabase database, string root) =>
        CliRunner.Environment(database, extra: new Dictionary<string, string?>
        {
            ["PLUGIN_STORAGE_TYPE"] = "local",
            ["PLUGIN_STORAGE_LOCAL_ROOT"] = root,
        }).Without("PLUGIN_STORAGE_OSS_BUCKET", "S3_ENDPOINT");

    private static Dictionary<string, int> ErrorCounts(CliResult result)
    {
        using var json = JsonDocument.Parse(result.Stdout);
        return json.RootElement.GetProperty("findings").EnumerateArray()
            .Where(f => f.GetProperty("severity").GetString() is "error" or "warning")
            .GroupBy(f => f.GetProperty("rule").GetString()!)
            .ToDictionary(g => g.Key, g => g.Count());
    }

    /// <summary>Every file under the folders: path, size, modification time and SHA-256.</summary>
    private static List<string> Snapshot(string root, params string[] folders)
    {
        var lines = new List<string>();
        foreach (var folder in folders.Length == 0 ? [ComposeVolume.WorkingFolder, "persistence"] : folders)
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(root, folder), "*", SearchOption.AllDirectories))
            {
                var info = new FileInfo(file);
                lines.Add($"{Path.GetRelativePath(root, file)} {info.Length} {info.LastWriteTimeUtc.Ticks} {Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(file)))}");
            }
        }

        lines.Sort(StringComparer.Ordinal);
        Assert.That(lines, Is.Not.Empty, "the volume has working files to compare");
        return lines;
    }
}
