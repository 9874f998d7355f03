using DbIntegrity.Core.Migrating;

namespace DbIntegrity.Core.Tests.Migrating;

public sealed class MigrationChecksumTests
{
    [Test]
    public void A_checksum_ignores_edge_whitespace_and_line_endings_but_not_an_edit()
    {
        var original = MigrationChecksums.Of(["CREATE INDEX a ON t (c)", "ALTER TABLE t ADD x int"]);
        var reformatted = MigrationChecksums.Of(["  CREATE INDEX a ON t (c)\r\n", "ALTER TABLE t ADD x int  "]);
        var edited = MigrationChecksums.Of(["CREATE INDEX a ON t (c)", "ALTER TABLE t ADD x bigint"]);

        Assert.Multiple(() =>
        {
            Assert.That(reformatted, Is.EqualTo(original));
            Assert.That(edited.Sha256, Is.Not.EqualTo(original.Sha256));
            Assert.That(original.Sha256, Does.Match("^[0-9a-f]{64}$"));
            Assert.That(original.Statements, Is.EqualTo(2));
        });
    }

    [Test]
    public void Statements_are_not_merged_into_each_other()
    {
        Assert.That(MigrationChecksums.Of(["SELECT 1", "SELECT 2"]).Sha256, Is.Not.EqualTo(MigrationChecksums.Of(["SELECT 1 SELECT 2"]).Sha256));
    }
}
