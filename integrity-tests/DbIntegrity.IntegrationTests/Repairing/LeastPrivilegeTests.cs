using System.Text.Json;
using System.Text.Json.Nodes;
using DbIntegrity.Cli;
using DbIntegrity.IntegrationTests.Checking;
using DbIntegrity.IntegrationTests.Infrastructure;

namespace DbIntegrity.IntegrationTests.Repairing;

/// <summary>
/// The grants of docs/least-privilege.md and the S3 policies of docs/ecs are enough, and the read-only ones are
/// read-only: a SELECT-only role and a second S3 user whose only rights are the documented read-only policy (a real
/// bucket policy on Ceph RGW, <see cref="DocumentedPolicy"/>) check, gate and plan exactly as an unrestricted run does;
/// apply under them refuses before changing anything; apply with the documented write grants and the documented repair
/// policy works; the gate records its run with the check grants plus INSERT on dbintegrity_check_runs. A recording
/// proxy (which refuses nothing) shows that the read-only runs only sent GET and HEAD requests.
/// </summary>
// S3 only, by nature: least privilege is expressed as bucket policies (Ceph RGW enforces them); a local folder is read
// as root here and Azurite has no RBAC roles, so neither can deny one action and allow another.
[Category("Integration")]
[Parallelizable(ParallelScope.All)]
public sealed class LeastPrivilegeTests
{
    private static readonly string[] ReadOnlyGrants =
    [
        "GRANT CONNECT ON DATABASE {database} TO {role}",
        "GRANT USAGE ON SCHEMA public TO {role}",
        "GRANT SELECT ON ALL TABLES IN SCHEMA public TO {role}",
    ];

    [Test]
    public async Task Check_with_a_select_only_role_and_the_documented_read_only_policy_finds_exactly_what_an_unrestricted_check_finds()
    {
        await using var d = await DeploymentUnderTest.CreateAsync();
        await Incident.BreakAsync(d);
        await RowFaults.BreakAsync(d);
        await using var role = await TestRole.CreateAsync(d.Database, ReadOnlyGrants);
        var policy = await DocumentedPolicy.ApplyAsync(d.Bucket, DocumentedPolicy.Check);
        await using var proxy = S3Proxy.Start(CliRunner.Environment().Get("S3_ENDPOINT")!);
        var environment = CliRunner.Environment(d.Database, d.Bucket);

        var unrestricted = await CliRunner.RunAsync(environment, "check", "--grace", "0", "--deep", "--format", "json");
        var restricted = await CliRunner.RunAsync(environment.With(policy.Variables), "check", "--grace", "0", "--deep", "--format", "json", "--db", role.ConnectionString, "--s3-endpoint", proxy.Endpoint.ToString());

        Assert.That(restricted.ExitCode, Is.EqualTo((int)ExitCode.Findings), restricted.ToString());
        Assert.That(JsonNode.Parse(restricted.Stdout)!["status"]!.GetValue<string>(), Is.EqualTo("inconsistent"));
        Assert.That(Findings(restricted.Stdout), Is.EqualTo(Findings(unrestricted.Stdout)).And.Not.Empty);
        Assert.That(proxy.Requests, Is.Not.Empty.And.All.Match("^(GET|HEAD) "));
    }

    [Test]
    public async Task Gate_without_recording_under_the_documented_read_only_policy_completes_and_blocks_on_every_finding()
    {
        await using var d = await DeploymentUnderTest.CreateAsync();
        await Incident.BreakAsync(d);
        await using var role = await TestRole.CreateAsync(d.Database, ReadOnlyGrants);
        var policy = await DocumentedPolicy.ApplyAsync(d.Bucket, DocumentedPolicy.Check);
        await using var proxy = S3Proxy.Start(CliRunner.Environment().Get("S3_ENDPOINT")!);
        var environment = CliRunner.Environment(d.Database, d.Bucket);

        var check = await CliRunner.RunAsync(environment, "check", "--grace", "0", "--format", "json");
        var gate = await CliRunner.RunAsync(environment.With(policy.Variables), "gate", "--grace", "0", "--no-record", "--format", "json", "--db", role.ConnectionString, "--s3-endpoint", proxy.Endpoint.ToString());

        Assert.That(gate.ExitCode, Is.EqualTo((int)ExitCode.Findings), gate.ToString());
        var report = JsonNode.Parse(gate.Stdout)!;
        Assert.That(report["check"]!["status"]!.GetValue<string>(), Is.EqualTo("inconsistent"));
        Assert.That(Findings(report["check"]!.ToJsonString()), Is.EqualTo(Findings(check.Stdout)).And.Not.Empty);
        Assert.That(proxy.Requests, Is.Not.Empty.And.All.Match("^(GET|HEAD) "));
    }

    [Test]
    public async Task Repair_plan_with_a_select_only_role_and_the_documented_read_only_policy_makes_the_same_plan()
    {
        await using var d = await DeploymentUnderTest.CreateAsync();
        await Incident.BreakAsync(d);
        await using var role = await TestRole.CreateAsync(d.Database, ReadOnlyGrants);
        var policy = await DocumentedPolicy.ApplyAsync(d.Bucket, DocumentedPolicy.Check);
        await using var proxy = S3Proxy.Start(CliRunner.Environment().Get("S3_ENDPOINT")!);
        var environment = CliRunner.Environment(d.Database, d.Bucket);

        var unrestricted = await CliRunner.RunAsync(environment, "repair", "plan", "--grace", "0", "--format", "json");
        var restricted = await CliRunner.RunAsync(environment.With(policy.Variables), "repair", "plan", "--grace", "0", "--format", "json", "--db", role.ConnectionString, "--s3-endpoint", proxy.Endpoint.ToString());

        Assert.That(restricted.ExitCode, Is.EqualTo((int)ExitCode.Findings), restricted.ToString());
        Assert.That(WithoutTime(restricted.Stdout), Is.EqualTo(WithoutTime(unrestricted.Stdout)));
        Assert.That(JsonNode.Parse(restricted.Stdout)!["fixes"]!.AsArray(), Has.Count.EqualTo(6));
        Assert.That(proxy.Requests, Is.Not.Empty.And.All.Match("^(GET|HEAD) "));
    }

    [Test]
    public async Task Repair_apply_works_with_the_documented_write_grants_and_repair_policy_and_nothing_more()
    {
        await using var d = await DeploymentUnderTest.CreateAsync();
        await Incident.BreakAsync(d);
        await RowFaults.BreakAsync(d);
        const string Tables = "plugins, plugin_declarations, plugin_installations, tool_installations, ai_model_installations, agent_strategy_installations, datasource_installations, trigger_installations";
        await using var readOnly = await TestRole.CreateAsync(d.Database, ReadOnlyGrants);
        await using var role = await TestRole.CreateAsync(d.Database, [.. ReadOnlyGrants, $"GRANT INSERT, UPDATE, DELETE ON {Tables} TO {{role}}", "GRANT UPDATE ON install_tasks TO {role}"]);
        var policy = await DocumentedPolicy.ApplyAsync(d.Bucket, DocumentedPolicy.Repair);
        var environment = CliRunner.Environment(d.Database, d.Bucket);
        var repairer = environment.With(policy.Variables);
        using var files = new TempDirectory();
        await CliRunner.RunAsync(repairer, "repair", "plan", "--grace", "0", "-o", files.Path("plan.json"), "--db", readOnly.ConnectionString);
        var before = await DeploymentSnapshot.TakeAsync(d.Database, d.Bucket);

        var refused = await CliRunner.RunAsync(repairer, "repair", "apply", files.Path("plan.json"), "--db", readOnly.ConnectionString);
        var unchanged = await DeploymentSnapshot.TakeAsync(d.Database, d.Bucket);
        var apply = await CliRunner.RunAsync(repairer, "repair", "apply", files.Path("plan.json"), "--db", role.ConnectionString);
        var check = await CliRunner.RunAsync(environment, "check", "--grace", "0");

        Assert.That(refused.ExitCode, Is.EqualTo((int)ExitCode.Incomplete), refused.ToString());
        Assert.That(refused.Stderr, Does.Contain("DELETE on plugin_declarations").And.Contain("docs/least-privilege.md").And.Contain("Nothing was changed"));
        Assert.That(unchanged.RowsChangedIn(before).Concat(unchanged.ObjectsChangedIn(before)), Is.Empty);
        Assert.That(apply.ExitCode, Is.EqualTo((int)ExitCode.Success), apply.ToString());
        Assert.That(check.ExitCode, Is.EqualTo((int)ExitCode.Success), check.ToString());
    }

    [Test]
    public async Task Repair_apply_under_the_documented_read_only_policy_fails_before_changing_anything()
    {
        await using var d = await DeploymentUnderTest.CreateAsync();
        await Incident.BreakAsync(d);
        var policy = await DocumentedPolicy.ApplyAsync(d.Bucket, DocumentedPolicy.Check);
        var environment = CliRunner.Environment(d.Database, d.Bucket);
        using var files = new TempDirectory();
        await CliRunner.RunAsync(environment, "repair", "plan", "--grace", "0", "-o", files.Path("plan.json"));
        var before = await DeploymentSnapshot.TakeAsync(d.Database, d.Bucket);

        var apply = await CliRunner.RunAsync(environment.With(policy.Variables), "repair", "apply", files.Path("plan.json"));
        var after = await DeploymentSnapshot.TakeAsync(d.Database, d.Bucket);

        Assert.That(apply.ExitCode, Is.EqualTo((int)ExitCode.Incomplete), apply.ToString());
        Assert.That(apply.Stderr, Does.Contain("PUT s3://").And.Contain("dbintegrity-backups/repair-").And.Contain("need s3:PutObject"));
        Assert.That(after.RowsChangedIn(before).Concat(before.RowsChangedIn(after)).Concat(after.ObjectsChangedIn(before)).Concat(before.ObjectsChangedIn(after)), Is.Empty);
    }

    [Test]
    public async Task Gate_records_its_run_with_the_check_grants_plus_insert_on_the_check_runs_table()
    {
        // dbintegrity_check_runs.id is GENERATED ALWAYS AS IDENTITY (migration 1000000000): unlike a serial column, its
        // sequence needs no USAGE grant for INSERT, so the documented grants are enough.
        await using var d = await DeploymentUnderTest.CreateAsync();
        await using var role = await TestRole.CreateAsync(d.Database, [.. ReadOnlyGrants, "GRANT INSERT ON dbintegrity_check_runs TO {role}"]);
        var policy = await DocumentedPolicy.ApplyAsync(d.Bucket, DocumentedPolicy.Check);
        await using var proxy = S3Proxy.Start(CliRunner.Environment().Get("S3_ENDPOINT")!);
        var environment = CliRunner.Environment(d.Database, d.Bucket).With(policy.Variables);

        var gate = await CliRunner.RunAsync(environment, "gate", "--grace", "0", "--db", role.ConnectionString, "--s3-endpoint", proxy.Endpoint.ToString());

        Assert.That(gate.ExitCode, Is.EqualTo((int)ExitCode.Success), gate.ToString());
        Assert.That(gate.ToString(), Does.Not.Contain("not recorded"));
        Assert.That(await d.Database.ScalarAsync<long>("SELECT count(*) FROM dbintegrity_check_runs WHERE command = 'gate'"), Is.EqualTo(1));
        Assert.That(proxy.Requests, Is.Not.Empty.And.All.Match("^(GET|HEAD) "));
    }

    private static List<string> Findings(string json)
    {
        using var report = JsonDocument.Parse(json);
        return [.. report.RootElement.GetProperty("findings").EnumerateArray().Select(f => JsonNode.Parse(f.GetRawText())!.ToJsonString()).Order(StringComparer.Ordinal)];
    }

    private static string WithoutTime(string json)
    {
        var node = JsonNode.Parse(json)!.AsObject();
        node.Remove("createdAt");
        return node.ToJsonString();
    }
}
