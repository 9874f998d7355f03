using DbIntegrity.Core.Configuration;
using DbIntegrity.Core.Repair;
using static DbIntegrity.Core.Tests.Repair.RepairFixtures;

namespace DbIntegrity.Core.Tests.Repair;

public sealed class RepairPlanFormatTests
{
    [Test]
    public async Task A_plan_reads_back_from_its_json_with_every_fact_and_step()
    {
        var state = new FakeRepairState();
        var declaration = state.Add("plugin_declarations", ("plugin_unique_identifier", Email), ("declaration", "{\"a\": 'quoted'}"));
        var plugin = state.Add("plugins", ("plugin_unique_identifier", Openai), ("install_type", "local"), ("refers", 3));
        state.Put("plugin/" + Openai, Sum);
        var plan = await PlanAsync(state,
            Finding("declaration-package-missing", table: "plugin_declarations", rowId: Id(declaration), identifier: Email),
            Finding("plugin-package-missing", table: "plugins", rowId: Id(plugin), identifier: Openai),
            Finding("refers-mismatch", table: "plugins", rowId: Id(plugin), identifier: Openai));

        var json = RepairPlanJson.Write(plan);
        var read = RepairPlanJson.Read(json, "plan.json");

        Assert.That(json, Does.Contain("\"kind\": \"delete-declaration\"").And.Contain("\"type\": \"copy-object\"").And.Contain("\"type\": \"row-count\""));
        Assert.That(RepairPlanJson.Write(read), Is.EqualTo(json));
        Assert.That(read.Fixes.SelectMany(f => f.Steps).Select(s => s.GetType()), Is.EqualTo(plan.Fixes.SelectMany(f => f.Steps).Select(s => s.GetType())));
    }

    [TestCase("{}", "is not a repair plan")]
    [TestCase("{\"format\": \"dbintegrity-repair-plan\", \"formatVersion\": 99}", "another format version")]
    [TestCase("{\"format\": \"dbintegrity-repair-plan\", \"formatVersion\": 1, \"fixes\": 3}", "not a valid repair plan")]
    [TestCase("not json", "is not a repair plan: it is not JSON")]
    public void A_file_that_is_not_a_plan_of_this_version_is_a_usage_error(string json, string message)
    {
        var error = Assert.Throws<ConfigurationException>(() => RepairPlanJson.Read(json, "plan.json"));

        Assert.That(error!.Message, Does.Contain("plan.json").And.Contain(message));
    }

    [Test]
    public void The_restore_script_puts_deleted_and_updated_rows_back_and_removes_inserted_ones_in_one_transaction()
    {
        var before = RowJson.Parse("{\"id\":\"r1\",\"declaration\":\"it's\"}");
        RowChange[] changes =
        [
            new() { Fix = "F1", Change = RowChangeKind.Deleted, Table = "plugin_declarations", Id = "r1", Before = before },
            new() { Fix = "F2", Change = RowChangeKind.Updated, Table = "plugins", Id = "r2", Before = before },
            new() { Fix = "F3", Change = RowChangeKind.Inserted, Table = "tool_installations", Id = "r3" },
        ];

        var sql = RestoreScript.Build("repair-1", "db", "public", changes).Split('\n').Where(l => !l.StartsWith("--", StringComparison.Ordinal) && l.Length > 0).ToList();

        Assert.That(sql, Is.EqualTo(new[]
        {
            "SET standard_conforming_strings = on;",
            "BEGIN;",
            "INSERT INTO \"public\".\"plugin_declarations\" SELECT * FROM json_populate_record(NULL::\"public\".\"plugin_declarations\", '{\"id\":\"r1\",\"declaration\":\"it''s\"}'::json);",
            "DELETE FROM \"public\".\"plugins\" WHERE id::text = 'r2';",
            "INSERT INTO \"public\".\"plugins\" SELECT * FROM json_populate_record(NULL::\"public\".\"plugins\", '{\"id\":\"r1\",\"declaration\":\"it''s\"}'::json);",
            "DELETE FROM \"public\".\"tool_installations\" WHERE id::text = 'r3';",
            "COMMIT;",
        }));
    }

    [Test]
    public void The_restore_script_names_the_tables_in_the_schema_repair_scanned_whatever_the_search_path()
    {
        RowChange[] changes = [new() { Fix = "F1", Change = RowChangeKind.Inserted, Table = "plugins", Id = "r1" }];

        var sql = RestoreScript.Build("repair-1", "db", "dify \"plugins\"", changes);

        Assert.That(sql, Does.Contain("DELETE FROM \"dify \"\"plugins\"\"\".\"plugins\" WHERE id::text = 'r1';"));
    }

    [TestCase("delete", "persistence/tenant/x", "only deletes keys under plugin/")]
    [TestCase("copy", "plugin_packages/not-an-identifier", "is not plugin_packages/<P>")]
    [TestCase("copy", "plugin_packages/" + Email + "x", "is not plugin_packages/<P>")]
    [TestCase("table", "users", "repair never touches")]
    public void Apply_accepts_only_steps_the_planner_could_have_written(string kind, string target, string message)
    {
        RepairStep step = kind switch
        {
            "delete" => new RepairStep.DeleteObject(target, "\"e\"", 1),
            "copy" => new RepairStep.CopyObject(null, "plugin/" + Email, target, Sum, null),
            _ => new RepairStep.DeleteRow(target, "r1"),
        };
        var plan = new RepairPlan
        {
            CreatedAt = DateTimeOffset.UnixEpoch,
            Target = Target,
            Scan = new PlanScanSummary { Errors = 1, Warnings = 0, Info = 0, GraceSeconds = 0, RulesRun = [] },
            Fixes = [new RepairFix { Id = "F1", Kind = RepairKind.DeleteInstalledKey, Summary = "s", Effect = "e", Findings = [], Facts = [], Steps = [step] }],
            Manual = [],
            NotRepaired = new Dictionary<string, int>(),
        };

        var error = Assert.Throws<ConfigurationException>(() => PlanValidation.Validate(plan, FakeRepairState.DaemonSchema(), StorageLayout.Default));

        Assert.That(error!.Message, Does.Contain(message));
    }

    [Test]
    public void A_plan_for_another_database_or_bucket_names_the_difference_but_ignores_the_host()
    {
        var replica = Target with { Host = "replica" };
        var other = Target with { Database = "staging", Bucket = "staging-plugins" };

        Assert.That(Target.Mismatch(replica), Is.Null);
        Assert.That(Target.Mismatch(other), Is.EqualTo("database is staging, the plan was made for dify_plugin; bucket is staging-plugins, the plan was made for dify-plugins"));
    }
}
