using DbIntegrity.Cli;
using DbIntegrity.IntegrationTests.Infrastructure;

namespace DbIntegrity.IntegrationTests.Checking;

/// <summary>
/// What a new user does, on each store, with the built CLI out of process and only the daemon's own variables
/// (PLUGIN_STORAGE_TYPE=s3 + the bucket, local + PLUGIN_STORAGE_LOCAL_ROOT on a folder laid out like Dify's compose
/// volume, azure_blob + the daemon's Azure variables): the seed incident is named with exit 1 and nothing is said about
/// cwd/ or persistence/; repair plan and apply bring it to exit 0 and leave the working folders as they were; a healthy
/// deployment exits 0.
/// </summary>
[Category("Integration")]
[Parallelizable(ParallelScope.All)]
[TestFixtureSource(typeof(TestStores), nameof(TestStores.All))]
public sealed class StoreEndToEndTests(TestStoreKind store)
{
    [Test]
    public async Task The_seed_incident_exits_1_and_plan_and_apply_bring_it_to_exit_0_without_touching_the_working_folders()
    {
        // Given the seed incident on this store
        await using var database = await TestDatabase.CreateAsync();
        await using var bucket = await TestBucket.CreateUnusedAsync(store);
        var environment = CliRunner.Environment(database, bucket);
        using var files = new TempDirectory();
        var working = await bucket.WorkingFilesAsync();
        var seeded = await CliProcess.RunAsync(environment, [], "reproduce", "seed-incident");

        // When a user checks, plans, applies and checks again
        var check = await CliProcess.RunAsync(environment, [], "check", "--grace", "0");
        var plan = await CliProcess.RunAsync(environment, [], "repair", "plan", "--grace", "0", "-o", files.Path("plan.json"));
        var apply = await CliProcess.RunAsync(environment, [], "repair", "apply", files.Path("plan.json"));
        var after = await CliProcess.RunAsync(environment, [], "check", "--grace", "0");
        var workingAfter = await bucket.WorkingFilesAsync();

        // Then each step exits as documented, and the working folders are byte for byte what they were
        Assert.Multiple(() =>
        {
            Assert.That(seeded.ExitCode, Is.EqualTo((int)ExitCode.Success), seeded.ToString());
            Assert.That(check.ExitCode, Is.EqualTo((int)ExitCode.Findings), check.ToString());
            Assert.That(check.Stdout, Does.Contain("declaration-package-missing").And.Contain("installed-key-invalid").And.Contain("langgenius/openai"));
            foreach (var run in new[] { check, plan, apply, after })
            {
                Assert.That(run.Stdout + run.Stderr, Does.Not.Contain("cwd/").And.Not.Contain("persistence/"), "the working folders and the KV storage are never read or named");
            }

            Assert.That(plan.ExitCode, Is.EqualTo((int)ExitCode.Findings), "a plan with fixes exits 1\n" + plan);
            Assert.That(apply.ExitCode, Is.EqualTo((int)ExitCode.Success), apply.ToString());
            Assert.That(after.ExitCode, Is.EqualTo((int)ExitCode.Success), after.ToString());
            Assert.That(workingAfter, Is.EqualTo(working));
        });
        if (store == TestStoreKind.Local)
        {
            Assert.That(working, Is.Not.Empty, "the local root holds the daemon's working folders");
        }
    }

    [Test]
    public async Task A_healthy_deployment_exits_0()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var bucket = await TestBucket.CreateUnusedAsync(store);
        var environment = CliRunner.Environment(database, bucket);

        var seeded = await CliProcess.RunAsync(environment, [], "reproduce", "healthy");
        var check = await CliProcess.RunAsync(environment, [], "check", "--grace", "0", "--deep");

        Assert.That(seeded.ExitCode, Is.EqualTo((int)ExitCode.Success), seeded.ToString());
        Assert.That(check.ExitCode, Is.EqualTo((int)ExitCode.Success), check.ToString());
        Assert.That(check.Stdout, Does.Contain("consistent").And.Not.Contain("inconsistent"));
    }
}
