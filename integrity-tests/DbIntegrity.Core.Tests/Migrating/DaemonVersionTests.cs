using DbIntegrity.Core.Migrating;

namespace DbIntegrity.Core.Tests.Migrating;

public sealed class DaemonVersionTests
{
    [TestCase("0.0.1", 0, 0, 1, 100)]
    [TestCase("0.5.4", 0, 5, 4, 50400)]
    [TestCase("v0.6.10", 0, 6, 10, 61000)]
    [TestCase(" 1.2.3 ", 1, 2, 3, 1020300)]
    public void A_release_tag_parses_and_encodes_its_first_migration_id(string text, int major, int minor, int patch, long firstId)
    {
        var version = DaemonVersion.Parse(text);

        Assert.That(version, Is.EqualTo(new DaemonVersion(major, minor, patch)));
        Assert.That(version.FirstMigrationId, Is.EqualTo(firstId));
    }

    [TestCase("")]
    [TestCase("0.5")]
    [TestCase("0.5.4.1")]
    [TestCase("0.5.x")]
    [TestCase("0.100.0")]
    [TestCase("1000.0.0")]
    [TestCase("-1.0.0")]
    [TestCase("0.5.4-rc1")]
    public void Anything_but_major_minor_patch_within_the_id_encoding_is_refused(string text)
    {
        Assert.That(DaemonVersion.TryParse(text, out _), Is.False);
        Assert.Throws<FormatException>(() => DaemonVersion.Parse(text));
    }

    [Test]
    public void Versions_order_numerically_not_as_text()
    {
        var versions = new[] { "0.10.0", "0.5.4", "0.9.9", "0.5.10", "0.0.1" }.Select(DaemonVersion.Parse).Order().Select(v => v.ToString());

        Assert.That(versions, Is.EqualTo(new[] { "0.0.1", "0.5.4", "0.5.10", "0.9.9", "0.10.0" }));
        Assert.That(DaemonVersion.Parse("0.5.2") < DaemonVersion.Parse("0.5.4"), Is.True);
        Assert.That(DaemonVersion.Parse("0.5.4") <= DaemonVersion.Parse("0.5.4"), Is.True);
    }
}
