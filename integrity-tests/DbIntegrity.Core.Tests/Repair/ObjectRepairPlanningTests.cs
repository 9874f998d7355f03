using DbIntegrity.Core.Repair;
using DbIntegrity.Core.Rules;
using static DbIntegrity.Core.Tests.Repair.RepairFixtures;

namespace DbIntegrity.Core.Tests.Repair;

public sealed class ObjectRepairPlanningTests
{
    [Test]
    public async Task A_declaration_whose_package_is_gone_and_that_nothing_uses_is_deleted_on_the_facts_it_was_planned_on()
    {
        var state = new FakeRepairState();
        var declaration = state.Add("plugin_declarations", ("plugin_unique_identifier", Email), ("plugin_id", "langgenius/email"));

        var plan = await PlanAsync(state, Finding("declaration-package-missing", table: "plugin_declarations", rowId: Id(declaration), identifier: Email, objectKey: "plugin_packages/" + Email));

        var fix = plan.Fixes.Single();
        Assert.Multiple(() =>
        {
            Assert.That(fix.Kind, Is.EqualTo(RepairKind.DeleteDeclaration));
            Assert.That(fix.Steps, Is.EqualTo(new RepairStep[] { new RepairStep.DeleteRow("plugin_declarations", Id(declaration)) }));
            Assert.That(fix.Facts.OfType<RepairFact.Row>().Single().Id, Is.EqualTo(Id(declaration)));
            Assert.That(fix.Facts.OfType<RepairFact.RowCount>().Select(c => (c.Table, c.Count)), Is.EquivalentTo(new[] { ("plugins", 0L), ("plugin_installations", 0L) }));
            Assert.That(fix.Facts, Has.Member(new RepairFact.ObjectAbsent("plugin_packages/" + Email)));
            Assert.That(fix.Effect, Does.Contain("uploads the package again").And.Contain("daemon#736"));
            Assert.That(plan.Manual, Is.Empty);
        });
    }

    [Test]
    public async Task A_declaration_an_installation_still_uses_is_never_deleted_but_handed_to_a_person()
    {
        var state = new FakeRepairState();
        var declaration = state.Add("plugin_declarations", ("plugin_unique_identifier", Email));
        state.Add("plugin_installations", ("tenant_id", Tenant), ("plugin_id", "langgenius/email"), ("plugin_unique_identifier", Email));

        var plan = await PlanAsync(state, Finding("declaration-package-missing", table: "plugin_declarations", rowId: Id(declaration), identifier: Email));

        Assert.That(plan.Fixes, Is.Empty);
        Assert.That(plan.Manual.Single().Reason, Does.Contain("installation-declaration-missing").And.Contain("Upload the package again"));
    }

    [Test]
    public async Task A_missing_package_is_restored_from_the_installed_marker_whose_checksum_is_the_identifiers()
    {
        var state = new FakeRepairState();
        var plugin = state.Add("plugins", ("plugin_unique_identifier", Email), ("install_type", "local"), ("refers", 1));
        state.Put("plugin/" + Email, Sum);

        var plan = await PlanAsync(state,
            Finding("plugin-package-missing", table: "plugins", rowId: Id(plugin), identifier: Email, objectKey: "plugin_packages/" + Email),
            Finding("installed-package-missing", identifier: Email, objectKey: "plugin_packages/" + Email));

        var fix = plan.Fixes.Single();
        Assert.Multiple(() =>
        {
            Assert.That(fix.Kind, Is.EqualTo(RepairKind.RestorePackage));
            Assert.That(fix.Findings, Has.Count.EqualTo(2));
            Assert.That(fix.Steps.Single(), Is.EqualTo(new RepairStep.CopyObject(null, "plugin/" + Email, "plugin_packages/" + Email, Sum, null)));
            Assert.That(fix.Facts, Is.EqualTo(new RepairFact[] { new RepairFact.ObjectAbsent("plugin_packages/" + Email) }));
        });
    }

    [Test]
    public async Task A_marker_whose_checksum_differs_never_restores_the_package()
    {
        var state = new FakeRepairState();
        var plugin = state.Add("plugins", ("plugin_unique_identifier", Email), ("install_type", "local"), ("refers", 1));
        state.Put("plugin/" + Email, OtherSum);

        var plan = await PlanAsync(state, Finding("plugin-package-missing", table: "plugins", rowId: Id(plugin), identifier: Email));

        Assert.That(plan.Fixes, Is.Empty);
        Assert.That(plan.Manual.Single().Reason, Does.Contain("No verified copy"));
    }

    [Test]
    public async Task A_backup_copy_restores_a_missing_package_and_then_its_marker_in_that_order()
    {
        var state = new FakeRepairState();
        var plugin = state.Add("plugins", ("plugin_unique_identifier", Email), ("install_type", "local"), ("refers", 2));
        state.Backup("plugin_packages/" + Email, "backups", "b/objects/plugin_packages/" + Email, Sum);

        var plan = await PlanAsync(state,
            Finding("plugin-package-missing", table: "plugins", rowId: Id(plugin), identifier: Email),
            Finding("plugin-installed-object-missing", table: "plugins", rowId: Id(plugin), identifier: Email, objectKey: "plugin/" + Email));

        Assert.That(plan.Fixes.Select(f => f.Kind), Is.EqualTo(new[] { RepairKind.RestorePackage, RepairKind.RestoreInstalledMarker }));
        Assert.That(plan.Fixes.Select(f => ((RepairStep.CopyObject)f.Steps.Single()).SourceBucket), Is.All.EqualTo("backups"));
        Assert.That(plan.Fixes[1].Facts.OfType<RepairFact.Row>().Single().Id, Is.EqualTo(Id(plugin)));
    }

    [Test]
    public async Task A_marker_is_not_restored_while_its_package_is_missing_and_cannot_be_restored()
    {
        var state = new FakeRepairState();
        var plugin = state.Add("plugins", ("plugin_unique_identifier", Email), ("install_type", "local"), ("refers", 1));
        state.Backup("plugin/" + Email, "backups", "b/objects/plugin/" + Email, Sum);

        var plan = await PlanAsync(state, Finding("plugin-installed-object-missing", table: "plugins", rowId: Id(plugin), identifier: Email, objectKey: "plugin/" + Email));

        Assert.That(plan.Fixes, Is.Empty);
        Assert.That(plan.Manual.Single().Reason, Does.Contain("plugin_packages/" + Email + " is missing too"));
    }

    [Test]
    public async Task Folder_markers_and_stray_keys_under_plugin_are_deleted_as_they_were_listed()
    {
        var state = new FakeRepairState();
        state.Put("plugin/", null, size: 0);
        state.Put("plugin/notes.txt", null, size: 12);

        var plan = await PlanAsync(state,
            Finding("installed-key-invalid", identifier: "", objectKey: "plugin/", details: new() { ["kind"] = "folder-marker" }),
            Finding("installed-key-invalid", identifier: "notes.txt", objectKey: "plugin/notes.txt", details: new() { ["kind"] = "stray" }));

        Assert.That(plan.Fixes.Select(f => f.Kind), Is.All.EqualTo(RepairKind.DeleteInstalledKey));
        Assert.That(plan.Fixes.SelectMany(f => f.Steps).Cast<RepairStep.DeleteObject>().Select(d => (d.Key, d.Size)), Is.EqualTo(new[] { ("plugin/", 0L), ("plugin/notes.txt", 12L) }));
        Assert.That(plan.Fixes[0].Effect, Does.Contain("plugin_unique_identifier is not valid"));
    }

    [Test]
    public async Task A_mangled_key_of_a_locally_installed_plugin_is_restored_under_its_real_name_before_it_is_deleted()
    {
        var state = new FakeRepairState();
        var mangled = "plugin/langgenius/email_0.0.7@" + Sum;
        var plugin = state.Add("plugins", ("plugin_unique_identifier", Email), ("install_type", "local"), ("refers", 1));
        state.Put(mangled, Sum);
        state.Put("plugin_packages/" + Email, Sum);

        var plan = await PlanAsync(state,
            Finding("installed-key-invalid", identifier: mangled[7..], objectKey: mangled, details: new() { ["kind"] = "mangled", ["likelyIdentifier"] = Email }),
            Finding("plugin-installed-object-missing", table: "plugins", rowId: Id(plugin), identifier: Email, objectKey: "plugin/" + Email));

        Assert.That(plan.Fixes.Select(f => f.Kind), Is.EqualTo(new[] { RepairKind.RestoreInstalledMarker, RepairKind.DeleteInstalledKey }));
        Assert.That(plan.Fixes[0].Steps.Single(), Is.EqualTo(new RepairStep.CopyObject(null, mangled, "plugin/" + Email, Sum, null)));
        Assert.That(plan.Fixes[0].Findings.Single().Rule, Is.EqualTo("plugin-installed-object-missing"));
        Assert.That(plan.Fixes[1].Summary, Does.Contain("after F1 restores it under its real name"));
        Assert.That(plan.Manual, Is.Empty);
    }

    [Test]
    public async Task A_mangled_key_of_a_plugin_nobody_installed_is_only_deleted()
    {
        var state = new FakeRepairState();
        var mangled = "plugin/langgenius/email_0.0.7@" + Sum;
        state.Put(mangled, Sum);

        var plan = await PlanAsync(state, Finding("installed-key-invalid", objectKey: mangled, details: new() { ["kind"] = "mangled", ["likelyIdentifier"] = Email }));

        Assert.That(plan.Fixes.Single().Kind, Is.EqualTo(RepairKind.DeleteInstalledKey));
    }

    [Test]
    public async Task A_marker_without_a_plugins_row_is_deleted_only_when_warnings_are_included()
    {
        var state = new FakeRepairState();
        state.Put("plugin/" + Email, Sum);
        var finding = Finding("installed-key-without-plugin-row", Severity.Warning, identifier: Email, objectKey: "plugin/" + Email);

        var byDefault = await PlanAsync(state, finding);
        var included = await PlanAsync(state, new RepairPlanOptions { IncludeWarnings = true }, finding);

        Assert.That(byDefault.Fixes, Is.Empty);
        Assert.That(byDefault.NotRepaired, Is.EqualTo(new Dictionary<string, int> { ["installed-key-without-plugin-row"] = 1 }));
        var count = included.Fixes.Single().Facts.OfType<RepairFact.RowCount>().Single();
        Assert.That((count.Table, count.Count, count.Where["plugin_unique_identifier"]), Is.EqualTo(("plugins", 0L, Email)));
    }
}
