using DbIntegrity.Core.Repair;
using DbIntegrity.Core.Rules;
using static DbIntegrity.Core.Tests.Repair.RepairFixtures;

namespace DbIntegrity.Core.Tests.Repair;

public sealed class RowRepairPlanningTests
{
    [Test]
    public async Task Refers_are_set_to_the_number_of_installations()
    {
        var state = new FakeRepairState();
        var plugin = state.Add("plugins", ("plugin_unique_identifier", Email), ("refers", 5));
        state.Add("plugin_installations", ("tenant_id", Tenant), ("plugin_id", "langgenius/email"), ("plugin_unique_identifier", Email));
        state.Add("plugin_installations", ("tenant_id", OtherTenant), ("plugin_id", "langgenius/email"), ("plugin_unique_identifier", Email));

        var plan = await PlanAsync(state, Finding("refers-mismatch", table: "plugins", rowId: Id(plugin), identifier: Email));

        var fix = plan.Fixes.Single();
        var update = (RepairStep.UpdateRow)fix.Steps.Single();
        Assert.That(fix.Kind, Is.EqualTo(RepairKind.RecomputeRefers));
        Assert.That(update.Set["refers"].GetInt64(), Is.EqualTo(2));
        Assert.That(fix.Facts.OfType<RepairFact.RowCount>().Single().Count, Is.EqualTo(2));
    }

    [Test]
    public async Task Duplicate_plugin_rows_keep_the_row_installs_counted_on_and_get_one_refers_update()
    {
        var state = new FakeRepairState();
        var first = state.Add("plugins", ("plugin_unique_identifier", Email), ("install_type", "local"), ("refers", 0));
        var counted = state.Add("plugins", ("plugin_unique_identifier", Email), ("install_type", "local"), ("refers", 2));
        state.Add("plugin_installations", ("tenant_id", Tenant), ("plugin_id", "langgenius/email"), ("plugin_unique_identifier", Email));

        var plan = await PlanAsync(state,
            Finding("duplicate-plugin-row", table: "plugins", identifier: Email),
            Finding("refers-mismatch", table: "plugins", rowId: Id(first), identifier: Email),
            Finding("refers-mismatch", table: "plugins", rowId: Id(counted), identifier: Email));

        Assert.That(plan.Fixes.Select(f => f.Kind), Is.EqualTo(new[] { RepairKind.RemoveDuplicatePluginRows, RepairKind.RecomputeRefers }));
        Assert.That(plan.Fixes[0].Steps, Is.EqualTo(new RepairStep[] { new RepairStep.DeleteRow("plugins", Id(first)) }));
        Assert.That(plan.Fixes[0].Findings.Select(f => f.Rule), Is.EqualTo(new[] { "duplicate-plugin-row", "refers-mismatch" }));
        Assert.That(((RepairStep.UpdateRow)plan.Fixes[1].Steps.Single()).Id, Is.EqualTo(Id(counted)));
        Assert.That(plan.Manual, Is.Empty);
    }

    [Test]
    public async Task Duplicate_plugin_rows_that_disagree_about_the_plugin_are_left_to_a_person()
    {
        var state = new FakeRepairState();
        state.Add("plugins", ("plugin_unique_identifier", Email), ("install_type", "local"), ("refers", 1));
        state.Add("plugins", ("plugin_unique_identifier", Email), ("install_type", "remote"), ("refers", 1));

        var plan = await PlanAsync(state, Finding("duplicate-plugin-row", table: "plugins", identifier: Email));

        Assert.That(plan.Fixes, Is.Empty);
        Assert.That(plan.Manual.Single().Reason, Does.Contain("disagree"));
    }

    [Test]
    public async Task Duplicate_installations_of_one_version_keep_the_oldest_and_recompute_refers()
    {
        var state = new FakeRepairState();
        var plugin = state.Add("plugins", ("plugin_unique_identifier", Email), ("refers", 2));
        var oldest = state.Add("plugin_installations", ("tenant_id", Tenant), ("plugin_id", "langgenius/email"), ("plugin_unique_identifier", Email));
        var newer = state.Add("plugin_installations", ("tenant_id", Tenant), ("plugin_id", "langgenius/email"), ("plugin_unique_identifier", Email));

        var plan = await PlanAsync(state, Finding("duplicate-installation", table: "plugin_installations", tenantId: Tenant, pluginId: "langgenius/email"));

        Assert.That(plan.Fixes.Select(f => f.Kind), Is.EqualTo(new[] { RepairKind.RemoveDuplicateInstallations, RepairKind.RecomputeRefers }));
        Assert.That(plan.Fixes[0].Steps, Is.EqualTo(new RepairStep[] { new RepairStep.DeleteRow("plugin_installations", Id(newer)) }));
        Assert.That(plan.Fixes[0].Summary, Does.Contain(Id(oldest)));
        var update = (RepairStep.UpdateRow)plan.Fixes[1].Steps.Single();
        Assert.That((update.Id, update.Set["refers"].GetInt64()), Is.EqualTo((Id(plugin), 1L)));
    }

    [Test]
    public async Task Duplicate_installations_of_different_versions_keep_the_one_the_category_rows_use_or_go_to_a_person()
    {
        var state = new FakeRepairState();
        state.Add("plugin_installations", ("tenant_id", Tenant), ("plugin_id", "langgenius/openai"), ("plugin_unique_identifier", Openai));
        var other = state.Add("plugin_installations", ("tenant_id", Tenant), ("plugin_id", "langgenius/openai"), ("plugin_unique_identifier", "langgenius/openai:0.2.8@" + Sum));
        var finding = Finding("duplicate-installation", table: "plugin_installations", tenantId: Tenant, pluginId: "langgenius/openai");

        var undecided = await PlanAsync(state, finding);
        state.Add("ai_model_installations", ("tenant_id", Tenant), ("plugin_id", "langgenius/openai"), ("plugin_unique_identifier", Openai), ("provider", "openai"));
        var decided = await PlanAsync(state, finding);

        Assert.That(undecided.Manual.Single().Reason, Does.Contain("Choose the version to keep"));
        Assert.That(decided.Fixes[0].Steps, Is.EqualTo(new RepairStep[] { new RepairStep.DeleteRow("plugin_installations", Id(other)) }));
    }

    [Test]
    public async Task A_category_row_without_installation_is_deleted()
    {
        var state = new FakeRepairState();
        var row = state.Add("tool_installations", ("tenant_id", Tenant), ("plugin_id", "langgenius/google"), ("provider", "google"), ("plugin_unique_identifier", Email));

        var plan = await PlanAsync(state, Finding("category-row-orphan", table: "tool_installations", rowId: Id(row), tenantId: Tenant, pluginId: "langgenius/google"));

        var fix = plan.Fixes.Single();
        Assert.That(fix.Kind, Is.EqualTo(RepairKind.DeleteCategoryRow));
        Assert.That(fix.Facts.OfType<RepairFact.RowCount>().Single().Table, Is.EqualTo("plugin_installations"));
    }

    [Test]
    public async Task A_missing_category_row_is_inserted_as_install_writes_it_unless_other_category_rows_disagree()
    {
        var state = new FakeRepairState();
        var installation = state.Add("plugin_installations", ("tenant_id", Tenant), ("plugin_id", "langgenius/google"), ("plugin_unique_identifier", Email));
        Finding Missing(string presentIn) => Finding("category-row-missing", table: "plugin_installations", rowId: Id(installation), identifier: Email, tenantId: Tenant,
            pluginId: "langgenius/google", details: new() { ["expectedTable"] = "tool_installations", ["provider"] = "google", ["presentIn"] = presentIn });

        var plan = await PlanAsync(state, Missing(string.Empty));
        var disagreeing = await PlanAsync(state, Missing("ai_model_installations"));

        var insert = (RepairStep.InsertRow)plan.Fixes.Single().Steps.Single();
        Assert.That(insert.Table, Is.EqualTo("tool_installations"));
        Assert.That(insert.Values.ToDictionary(kv => kv.Key, kv => kv.Value.GetString()), Is.EquivalentTo(new Dictionary<string, string?>
        {
            ["id"] = insert.Id,
            ["tenant_id"] = Tenant,
            ["provider"] = "google",
            ["plugin_unique_identifier"] = Email,
            ["plugin_id"] = "langgenius/google",
        }));
        Assert.That(disagreeing.Manual.Single().Reason, Does.Contain("ai_model_installations instead"));
    }

    [Test]
    public async Task A_plugin_id_is_fixed_on_plugins_rows_but_not_on_rows_that_pair_by_plugin_id()
    {
        var state = new FakeRepairState();
        var plugin = state.Add("plugins", ("plugin_unique_identifier", Email), ("plugin_id", "langgenius/mail"));
        var installation = state.Add("plugin_installations", ("plugin_unique_identifier", Email), ("plugin_id", "langgenius/mail"));

        var plan = await PlanAsync(state,
            Finding("plugin-id-mismatch", table: "plugins", rowId: Id(plugin), identifier: Email),
            Finding("plugin-id-mismatch", table: "plugin_installations", rowId: Id(installation), identifier: Email));

        Assert.That(((RepairStep.UpdateRow)plan.Fixes.Single().Steps.Single()).Set["plugin_id"].GetString(), Is.EqualTo("langgenius/email"));
        Assert.That(plan.Manual.Single().Rule, Is.EqualTo("plugin-id-mismatch"));
    }

    [TestCase("identifier-invalid", "No tool can tell")]
    [TestCase("installation-plugin-missing", "Reinstall the plugin")]
    [TestCase("installation-declaration-missing", "Upload the package again")]
    public async Task Rules_without_a_safe_automatic_fix_are_manual_with_the_reason(string rule, string reason)
    {
        var plan = await PlanAsync(new FakeRepairState(), Finding(rule, table: "plugin_installations", rowId: Guid.NewGuid().ToString(), identifier: "x"));

        Assert.That(plan.Fixes, Is.Empty);
        Assert.That(plan.Manual.Single().Reason, Does.Contain(reason));
    }

    [Test]
    public async Task Info_findings_are_counted_and_never_repaired()
    {
        var plan = await PlanAsync(new FakeRepairState(), Finding("orphan-package-object", Severity.Info, objectKey: "plugin_packages/" + Email));

        Assert.That(plan.IsEmpty, Is.True);
        Assert.That(plan.NotRepaired, Is.EqualTo(new Dictionary<string, int> { ["orphan-package-object"] = 1 }));
    }
}
