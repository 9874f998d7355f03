using DbIntegrity.Core.Rules;
using static DbIntegrity.Core.Tests.Rules.RuleHarness;

namespace DbIntegrity.Core.Tests.Rules;

public sealed class IdentifierRuleTests
{
    private const string Openai = "langgenius/openai:0.2.7@" + Sha;

    [TestCase("", "plugin/", "folder marker")]
    [TestCase("langgenius/", "plugin/langgenius/", "folder marker")]
    [TestCase("langgenius/email_0.0.7@" + Sha, "plugin/langgenius/email_0.0.7@" + Sha, "looks like langgenius/email:0.0.7@" + Sha)]
    [TestCase("langgenius/email%3A0.0.7@" + Sha, "plugin/langgenius/email%3A0.0.7@" + Sha, "looks like langgenius/email:0.0.7@" + Sha)]
    [TestCase("notes.txt", "plugin/notes.txt", "is not an installed plugin identifier")]
    public void Installed_key_invalid_names_the_kind_of_bad_key(string suffix, string key, string expected)
    {
        var harness = new RuleHarness(new InstalledKeyInvalidRule());

        var reported = harness.Evaluate(Group(suffix, installed: Object(key)));

        Assert.That(reported, Has.Count.EqualTo(1));
        var (finding, rechecks) = reported[0];
        Assert.Multiple(() =>
        {
            Assert.That(finding.Rule, Is.EqualTo("installed-key-invalid"));
            Assert.That(finding.ObjectKey, Is.EqualTo(key));
            Assert.That(finding.Message, Does.Contain(expected).And.Contain("every 30 seconds"));
            Assert.That(rechecks, Is.EqualTo(new Recheck[] { new Recheck.ObjectPresent(key) }));
        });
    }

    [TestCase("", "folder-marker", null)]
    [TestCase("langgenius/email_0.0.7@" + Sha, "mangled", "langgenius/email:0.0.7@" + Sha)]
    [TestCase("notes.txt", "stray", null)]
    public void Installed_key_invalid_carries_the_kind_and_the_likely_identifier_for_repair(string suffix, string kind, string? likely)
    {
        var harness = new RuleHarness(new InstalledKeyInvalidRule());

        var (finding, _) = harness.Evaluate(Group(suffix, installed: Object("plugin/" + suffix))).Single();

        Assert.That(finding.Details!["kind"], Is.EqualTo(kind));
        Assert.That(finding.Details.GetValueOrDefault("likelyIdentifier"), Is.EqualTo(likely));
    }

    [TestCase(".keep")]
    [TestCase(".DS_Store")]
    [TestCase("/.keep")]
    public void Installed_key_invalid_skips_top_level_dot_files_as_the_daemon_does(string suffix)
    {
        var harness = new RuleHarness(new InstalledKeyInvalidRule());

        Assert.That(harness.Evaluate(Group(suffix, installed: Object("plugin/" + suffix))), Is.Empty);
    }

    [TestCase("langgenius/.DS_Store")]
    [TestCase("langgenius/.keep")]
    public void Installed_key_invalid_still_reports_dot_files_below_the_top_level(string suffix)
    {
        var harness = new RuleHarness(new InstalledKeyInvalidRule());

        var (finding, _) = harness.Evaluate(Group(suffix, installed: Object("plugin/" + suffix))).Single();

        Assert.That(finding.Details!["kind"], Is.EqualTo("stray"));
    }

    [Test]
    public void Installed_key_invalid_ignores_valid_identifiers_and_rows_without_objects()
    {
        var harness = new RuleHarness(new InstalledKeyInvalidRule());

        Assert.That(harness.Evaluate(Group(Openai, installed: Object("plugin/" + Openai))), Is.Empty);
        Assert.That(harness.Evaluate(Group("bad", plugins: [Plugin("bad")])), Is.Empty);
    }

    [Test]
    public void Installed_package_missing_fires_only_when_the_marker_exists_and_the_package_does_not()
    {
        var harness = new RuleHarness(new InstalledPackageMissingRule());

        var missing = harness.Evaluate(Group(Openai, installed: Object("plugin/" + Openai)));
        var present = harness.Evaluate(Group(Openai, installed: Object("plugin/" + Openai), package: Object("plugin_packages/" + Openai)));

        Assert.That(present, Is.Empty);
        Assert.That(missing, Has.Count.EqualTo(1));
        Assert.That(missing[0].Finding.ObjectKey, Is.EqualTo("plugin_packages/" + Openai));
        Assert.That(missing[0].Rechecks, Does.Contain(new Recheck.ObjectMissing("plugin_packages/" + Openai)));
        // The daemon's log line names the identifier (the message once printed a literal "{group.Key}").
        Assert.That(missing[0].Finding.Message, Does.Contain($"get plugin package error' for {Openai} and").And.Not.Contain("{"));
    }

    [Test]
    public void A_young_marker_is_in_flight_not_broken()
    {
        var harness = new RuleHarness(new InstalledPackageMissingRule());

        var reported = harness.Evaluate(Group(Openai, installed: Object("plugin/" + Openai, age: TimeSpan.FromSeconds(30))));

        Assert.That(reported, Is.Empty);
        Assert.That(harness.InFlight, Is.EqualTo(1));
    }

    [Test]
    public void Evidence_stamped_far_in_the_future_is_reported_not_in_flight_forever()
    {
        // A daemon host whose clock runs a day ahead stamps rows a day "young"; they must not hide a finding.
        var harness = new RuleHarness(new InstalledPackageMissingRule());

        var reported = harness.Evaluate(Group(Openai, installed: Object("plugin/" + Openai, age: -TimeSpan.FromDays(1))));

        Assert.That(reported, Has.Count.EqualTo(1));
        Assert.That(harness.InFlight, Is.Zero);
    }

    [Test]
    public void Clock_skew_within_the_grace_period_still_counts_as_in_flight()
    {
        var harness = new RuleHarness(new InstalledPackageMissingRule());

        var reported = harness.Evaluate(Group(Openai, installed: Object("plugin/" + Openai, age: -TimeSpan.FromMinutes(1))));

        Assert.That(reported, Is.Empty);
        Assert.That(harness.InFlight, Is.EqualTo(1));
    }

    [Test]
    public void Grace_zero_reports_even_a_brand_new_object()
    {
        var harness = new RuleHarness(new InstalledPackageMissingRule(), grace: TimeSpan.Zero);

        var reported = harness.Evaluate(Group(Openai, installed: Object("plugin/" + Openai, age: TimeSpan.FromSeconds(1))));

        Assert.That(reported, Has.Count.EqualTo(1));
    }

    [TestCase("local", 1, true)]
    [TestCase("local", 0, false)]
    [TestCase("serverless", 1, false)]
    [TestCase("remote", 1, false)]
    public void Plugin_installed_object_missing_needs_a_local_plugin_in_use(string installType, long refers, bool expected)
    {
        var harness = new RuleHarness(new PluginInstalledObjectMissingRule());

        var reported = harness.Evaluate(Group(Openai, package: Object("plugin_packages/" + Openai), plugins: [Plugin(Openai, installType, refers)]));

        Assert.That(reported, Has.Count.EqualTo(expected ? 1 : 0));
    }

    [TestCase("local", true)]
    [TestCase("serverless", true)]
    [TestCase("remote", false)]
    public void Plugin_package_missing_covers_local_and_serverless(string installType, bool expected)
    {
        var harness = new RuleHarness(new PluginPackageMissingRule());

        var reported = harness.Evaluate(Group(Openai, installed: Object("plugin/" + Openai), plugins: [Plugin(Openai, installType)]));

        Assert.That(reported, Has.Count.EqualTo(expected ? 1 : 0));
    }

    [Test]
    public void Declaration_package_missing_reports_every_declaration_row_and_names_daemon_736()
    {
        var harness = new RuleHarness(new DeclarationPackageMissingRule());
        var declaration = Declaration(Openai);

        var reported = harness.Evaluate(Group(Openai, declarations: [declaration]));

        Assert.That(reported, Has.Count.EqualTo(1));
        Assert.Multiple(() =>
        {
            Assert.That(reported[0].Finding.RowId, Is.EqualTo(declaration.Id));
            Assert.That(reported[0].Finding.Table, Is.EqualTo("plugin_declarations"));
            Assert.That(reported[0].Finding.Message, Does.Contain("daemon#736"));
        });
    }

    [Test]
    public void Installed_key_without_plugin_row_is_a_warning_for_valid_identifiers_only()
    {
        var harness = new RuleHarness(new InstalledKeyWithoutPluginRowRule());

        var orphan = harness.Evaluate(Group(Openai, installed: Object("plugin/" + Openai), package: Object("plugin_packages/" + Openai)));
        var invalid = harness.Evaluate(Group("langgenius/", installed: Object("plugin/langgenius/")));
        var used = harness.Evaluate(Group(Openai, installed: Object("plugin/" + Openai), plugins: [Plugin(Openai)]));

        Assert.That(orphan.Single().Finding.Severity, Is.EqualTo(Severity.Warning));
        Assert.That(invalid, Is.Empty);
        Assert.That(used, Is.Empty);
    }

    [Test]
    public void Orphans_are_info_and_a_declaration_without_its_package_is_not_an_orphan_declaration()
    {
        var packages = new RuleHarness(new OrphanPackageObjectRule());
        var declarations = new RuleHarness(new OrphanDeclarationRule());

        var lonePackage = packages.Evaluate(Group(Openai, package: Object("plugin_packages/" + Openai)));
        var uploaded = declarations.Evaluate(Group(Openai, package: Object("plugin_packages/" + Openai), declarations: [Declaration(Openai)]));
        var broken = declarations.Evaluate(Group(Openai, declarations: [Declaration(Openai)]));

        Assert.That(lonePackage.Single().Finding.Severity, Is.EqualTo(Severity.Info));
        Assert.That(uploaded.Single().Finding.Severity, Is.EqualTo(Severity.Info));
        Assert.That(broken, Is.Empty);
    }

    [Test]
    public void Orphan_messages_do_not_claim_nothing_is_installed_the_pass_cannot_see_installations()
    {
        // A plugins row deleted under live installations leaves exactly these groups; the installations are
        // installation-plugin-missing, so "not installed anywhere" would be false.
        var package = new RuleHarness(new OrphanPackageObjectRule()).Evaluate(Group(Openai, package: Object("plugin_packages/" + Openai))).Single().Finding;
        var declaration = new RuleHarness(new OrphanDeclarationRule())
            .Evaluate(Group(Openai, package: Object("plugin_packages/" + Openai), declarations: [Declaration(Openai)])).Single().Finding;

        Assert.Multiple(() =>
        {
            Assert.That(declaration.Message, Does.Not.Contain("not installed anywhere").And.Contain("installation-plugin-missing"));
            Assert.That(package.Message, Does.Not.Match("Harmless[:.]").And.Contain("installation-plugin-missing"));
        });
    }
}
