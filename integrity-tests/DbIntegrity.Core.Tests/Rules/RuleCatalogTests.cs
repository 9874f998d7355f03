using DbIntegrity.Core.Rules;

namespace DbIntegrity.Core.Tests.Rules;

public sealed class RuleCatalogTests
{
    // Rule ids are a public contract: reports, baselines and CI filters use them. Changing one breaks users.
    private static readonly Dictionary<string, Severity> Contract = new()
    {
        ["installed-key-invalid"] = Severity.Error,
        ["installed-package-missing"] = Severity.Error,
        ["plugin-installed-object-missing"] = Severity.Error,
        ["plugin-package-missing"] = Severity.Error,
        ["declaration-package-missing"] = Severity.Error,
        ["installation-plugin-missing"] = Severity.Error,
        ["installation-declaration-missing"] = Severity.Error,
        ["identifier-invalid"] = Severity.Error,
        ["plugin-id-mismatch"] = Severity.Error,
        ["refers-mismatch"] = Severity.Error,
        ["duplicate-plugin-row"] = Severity.Error,
        ["duplicate-installation"] = Severity.Error,
        ["category-row-missing"] = Severity.Error,
        ["category-row-orphan"] = Severity.Error,
        ["declaration-invalid"] = Severity.Error,
        ["daemon-value-unknown"] = Severity.Error,
        ["package-checksum-mismatch"] = Severity.Error,
        ["package-unreadable"] = Severity.Error,
        ["declaration-identity-mismatch"] = Severity.Error,
        ["installed-key-without-plugin-row"] = Severity.Warning,
        ["asset-missing"] = Severity.Warning,
        ["orphan-package-object"] = Severity.Info,
        ["orphan-asset"] = Severity.Info,
        ["orphan-declaration"] = Severity.Info,
        ["orphan-endpoint"] = Severity.Info,
        ["orphan-readme"] = Severity.Info,
    };

    [Test]
    public void The_catalog_holds_exactly_the_public_rule_ids_with_their_severities()
    {
        var catalog = RuleCatalog.Descriptors.ToDictionary(d => d.Id, d => d.Severity);

        Assert.That(catalog, Is.EquivalentTo(Contract));
    }

    [Test]
    public void Only_the_package_rules_need_deep()
    {
        var deep = RuleCatalog.Descriptors.Where(d => d.DeepOnly).Select(d => d.Id);

        Assert.That(deep, Is.EquivalentTo(new[] { "package-checksum-mismatch", "package-unreadable", "declaration-identity-mismatch" }));
    }

    [Test]
    public void Every_rule_implements_exactly_one_evaluation_interface()
    {
        foreach (var rule in RuleCatalog.CreateAll())
        {
            var kinds = new[] { rule is IDatabaseRule, rule is IIdentifierRule, rule is IInstallationRule, rule is IAssetRule, rule is IPackageRule }.Count(k => k);
            Assert.That(kinds, Is.EqualTo(1), rule.Descriptor.Id);
        }
    }

    [Test]
    public void Unknown_rule_ids_are_a_configuration_error_listing_the_known_ones()
    {
        var ex = Assert.Throws<ConfigurationException>(() => RuleCatalog.Validate(["asset-missing", "no-such-rule"]));

        Assert.That(ex!.Message, Does.Contain("no-such-rule").And.Contain("declaration-package-missing"));
    }
}
