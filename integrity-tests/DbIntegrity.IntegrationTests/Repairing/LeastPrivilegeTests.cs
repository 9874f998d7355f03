using System.Text.Json;
using System.Text.Json.Nodes;
using DbIntegrity.Cli;
using DbIntegrity.IntegrationTests.Checking;
using DbIntegrity.IntegrationTests.Infrastructure;

namespace DbIntegrity.IntegrationTests.Repairing;

/// <summary>
/// The grants and S3 actions of docs/least-privilege.md are enough: check and repair plan with a SELECT-only role and
/// an S3 proxy that refuses every write (as credentials with only s3:ListBucket and s3:GetObject would) give the same
/// result as an unrestricted run; repair apply works with the documented write grants; the gate records its run with
/// the check grants plus INSERT on dbintegrity_check_runs.
/// </summary>
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
    public async Task Check_with_a_select_only_role_and_read_only_S3_finds_exactly_what_an_unrestricted_check_finds()
    {
        await using var d = await DeploymentUnderTest.CreateAsync();
        await Incident.BreakAsync(d);
        await RowFaults.BreakAsync(d);
        await using var role = await TestRole.CreateAsync(d.Database, ReadOnlyGrants);
        await using var proxy = S3Proxy.Start(CliRunner.Environment().Get("S3_ENDPOINT")!);
        proxy.ReadOnly = true;
        var environment = CliRunner.Environment(d.Database, d.Bucket);

        var unrestricted = await CliRunner.RunAsync(environment, "check", "--grace", "0", "--deep", "--format", "json");
        var restricted = await CliRunner.RunAsync(environment, "check", "--grace", "0", "--deep", "--format", "json", "--db", role.ConnectionString, "--s3-endpoint", proxy.Endpoint.ToString());

        Assert.That(restricted.ExitCode, Is.EqualTo((int)ExitCode.Findings), restricted.ToString());
        Assert.That(Findings(restricted.Stdout), Is.EqualTo(Findings(unrestricted.Stdout)).And.Not.Empty);
        Assert.That(proxy.Requests, Is.Not.Empty.And.All.Match("^(GET|HEAD) "));
    }

    [Test]
    public async Task Repair_plan_with_a_select_only_role_and_read_only_S3_makes_the_same_plan()
    {
        await using var d = await DeploymentUnderTest.CreateAsync();
        await Incident.BreakAsync(d);
        await using var role = await TestRole.CreateAsync(d.Database, ReadOnlyGrants);
        await using var proxy = S3Proxy.Start(CliRunner.Environment().Get("S3_ENDPOINT")!);
        proxy.ReadOnly = true;
        var environment = CliRunner.Environment(d.Database, d.Bucket);

        var unrestricted = await CliRunner.RunAsync(environment, "repair", "plan", "--grace", "0", "--format", "json");
        var restricted = await CliRunner.RunAsync(environment, "repair", "plan", "--grace", "0", "--format", "json", "--db", role.ConnectionString, "--s3-endpoint", proxy.Endpoint.ToString());

        Assert.That(restricted.ExitCode, Is.EqualTo((int)ExitCode.Findings), restricted.ToString());
        Assert.That(WithoutTime(restricted.Stdout), Is.EqualTo(WithoutTime(unrestricted.Stdout)));
        Assert.That(JsonNode.Parse(restricted.Stdout)!["fixes"]!.AsArray(), Has.Count.EqualTo(6));
        Assert.That(proxy.Requests, Is.Not.Empty.And.All.Match("^(GET|HEAD) "));
    }

    [Test]
    public async Task Repair_apply_works_with_the_documented_write_grants_and_nothing_more()
    {
        await using var d = await DeploymentUnderTest.CreateAsync();
        await Incident.BreakAsync(d);
        await RowFaults.BreakAsync(d);
        const string Tables = "plugins, plugin_declarations, plugin_installations, tool_installations, ai_model_installations, agent_strategy_installations, datasource_installations, trigger_installations";
        await using var readOnly = await TestRole.CreateAsync(d.Database, ReadOnlyGrants);
        await using var role = await TestRole.CreateAsync(d.Database, [.. ReadOnlyGrants, $"GRANT INSERT, UPDATE, DELETE ON {Tables} TO {{role}}", "GRANT UPDATE ON install_tasks TO {role}"]);
        var environment = CliRunner.Environment(d.Database, d.Bucket);
        using var files = new TempDirectory();
        await CliRunner.RunAsync(environment, "repair", "plan", "--grace", "0", "-o", files.Path("plan.json"), "--db", readOnly.ConnectionString);
        var before = await DeploymentSnapshot.TakeAsync(d.Database, d.Bucket);

        var refused = await CliRunner.RunAsync(environment, "repair", "apply", files.Path("plan.json"), "--db", readOnly.ConnectionString);
        var unchanged = await DeploymentSnapshot.TakeAsync(d.Database, d.Bucket);
        var apply = await CliRunner.RunAsync(environment, "repair", "apply", files.Path("plan.json"), "--db", role.ConnectionString);
        var check = await CliRunner.RunAsync(environment, "check", "--grace", "0");

        Assert.That(refused.ExitCode, Is.EqualTo((int)ExitCode.Incomplete), refused.ToString());
        Assert.That(refused.Stderr, Does.Contain("DELETE on plugin_declarations").And.Contain("docs/least-privilege.md").And.Contain("Nothing was changed"));
        Assert.That(unchanged.RowsChangedIn(before).Concat(unchanged.ObjectsChangedIn(before)), Is.Empty);
        Assert.That(apply.ExitCode, Is.EqualTo((int)ExitCode.Success), apply.ToString());
        Assert.That(check.ExitCode, Is.EqualTo((int)ExitCode.Success), check.ToString());
    }

    [Test]
    public async Task Repair_apply_with_read_only_S3_credentials_fails_before_changing_anything()
    {
        await using var d = await DeploymentUnderTest.CreateAsync();
        await Incident.BreakAsync(d);
        await using var proxy = S3Proxy.Start(CliRunner.Environment().Get("S3_ENDPOINT")!);
        proxy.ReadOnly = true;
        var environment = CliRunner.Environment(d.Database, d.Bucket);
        using var files = new TempDirectory();
        await CliRunner.RunAsync(environment, "repair", "plan", "--grace", "0", "-o", files.Path("plan.json"));
        var before = await DeploymentSnapshot.TakeAsync(d.Database, d.Bucket);

        var apply = await CliRunner.RunAsync(environment, "repair", "apply", files.Path("plan.json"), "--s3-endpoint", proxy.Endpoint.ToString());
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
        await using var proxy = S3Proxy.Start(CliRunner.Environment().Get("S3_ENDPOINT")!);
        proxy.ReadOnly = true;
        var environment = CliRunner.Environment(d.Database, d.Bucket);

        var gate = await CliRunner.RunAsync(environment, "gate", "--grace", "0", "--db", role.ConnectionString, "--s3-endpoint", proxy.Endpoint.ToString());

        Assert.That(gate.ExitCode, Is.EqualTo((int)ExitCode.Success), gate.ToString());
        Assert.That(gate.ToString(), Does.Not.Contain("not recorded"));
        Assert.That(await d.Database.ScalarAsync<long>("SELECT count(*) FROM dbintegrity_check_runs WHERE command = 'gate'"), Is.EqualTo(1));
        Assert.That(proxy.Requests, Is.Not.Empty.And.All.Match("^(GET|HEAD) "));
    }

    private static List<string> Findings(string json)
    {
        using var report = JsonDocument.Parse(json);
        return [.. report.RootElement.GetProperty("findings").EnumerateArray().Select(f => f.GetRawText()).Order(StringComparer.Ordinal)];
    }

    private static string WithoutTime(string json)
    {
        var node = JsonNode.Parse(json)!.AsObject();
        node.Remove("createdAt");
        return node.ToJsonString();
    }
}
