using System.Text.Json;
using DbIntegrity.Cli;
using DbIntegrity.IntegrationTests.Infrastructure;

namespace DbIntegrity.IntegrationTests.Checking;

/// <summary>
/// <c>check</c> and <c>repair plan</c> on a read-only mount of the volume, as docker-compose mounts it for the checker.
/// Local storage only, by nature (a bucket has no mount). The tests run as root, which writes through file permissions,
/// so only a read-only mount shows that nothing writes: the CLI runs in a mount namespace of its own
/// (<c>unshare --mount</c>) where the root folder is bind-mounted over itself and remounted read-only; the mount ends
/// with the process, so nothing is left mounted when a test fails. The script refuses to run the CLI unless a write
/// into the mount fails.
/// </summary>
[Category("Integration")]
[Parallelizable(ParallelScope.All)]
public sealed class ReadOnlyMountTests
{
    private const string ReadOnlyScript =
        "mount --bind \"$0\" \"$0\" && mount -o remount,bind,ro \"$0\" || { echo \"cannot mount $0 read-only (needs root and unshare --mount)\" >&2; exit 97; }; "
        + "if touch \"$0/.dbi-read-only-probe\" 2>/dev/null; then echo \"$0 is still writable\" >&2; exit 98; fi; "
        + "exec \"$@\"";

    [Test]
    public async Task Check_and_repair_plan_on_a_read_only_mount_give_what_they_give_on_the_writable_folder()
    {
        // Given the seed incident on a local folder
        await using var database = await TestDatabase.CreateAsync();
        await using var bucket = await TestBucket.CreateUnusedAsync(TestStoreKind.Local);
        var environment = CliRunner.Environment(database, bucket);
        using var files = new TempDirectory();
        var seeded = await CliRunner.RunAsync(environment, "reproduce", "seed-incident");
        Assert.That(seeded.ExitCode, Is.EqualTo((int)ExitCode.Success), seeded.ToString());
        string[] readOnly = ["unshare", "--mount", "--", "sh", "-c", ReadOnlyScript, bucket.Root];

        // When check and repair plan run on the folder, and on the same folder mounted read-only
        var writableCheck = await CliProcess.RunAsync(environment, [], "check", "--grace", "0", "--deep", "--format", "json");
        var readOnlyCheck = await CliProcess.RunAsync(environment, readOnly, "check", "--grace", "0", "--deep", "--format", "json");
        var writablePlan = await CliProcess.RunAsync(environment, [], "repair", "plan", "--grace", "0", "-o", files.Path("writable.json"));
        var readOnlyPlan = await CliProcess.RunAsync(environment, readOnly, "repair", "plan", "--grace", "0", "-o", files.Path("read-only.json"));

        // Then both give the same findings and the same plan
        Assert.That(writableCheck.ExitCode, Is.EqualTo((int)ExitCode.Findings), writableCheck.ToString());
        Assert.That(readOnlyCheck.ExitCode, Is.EqualTo((int)ExitCode.Findings), readOnlyCheck.ToString());
        Assert.That(Part(readOnlyCheck.Stdout, "findings"), Is.EqualTo(Part(writableCheck.Stdout, "findings")));
        Assert.That(readOnlyPlan.ExitCode, Is.EqualTo((int)ExitCode.Findings), readOnlyPlan.ToString());
        Assert.That(writablePlan.ExitCode, Is.EqualTo((int)ExitCode.Findings), writablePlan.ToString());
        var writable = await File.ReadAllTextAsync(files.Path("writable.json"));
        var readOnlyText = await File.ReadAllTextAsync(files.Path("read-only.json"));
        Assert.That(Part(readOnlyText, "fixes"), Is.EqualTo(Part(writable, "fixes")));
        Assert.That(Part(readOnlyText, "manual"), Is.EqualTo(Part(writable, "manual")));
    }

    private static string Part(string json, string property)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.GetProperty(property).GetRawText();
    }
}
