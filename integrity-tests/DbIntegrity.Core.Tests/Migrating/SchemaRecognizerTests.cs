using DbIntegrity.Core.Database;
using DbIntegrity.Core.Migrating;

namespace DbIntegrity.Core.Tests.Migrating;

public sealed class SchemaRecognizerTests
{
    private static IEnumerable<TestCaseData> Versions() =>
        UpstreamSchemas.All.Select(s => new TestCaseData(s.Version.ToString()).SetArgDisplayNames(s.Version.ToString()));

    [TestCaseSource(nameof(Versions))]
    public void A_database_shaped_like_the_chain_at_a_release_is_recognised_as_that_release(string version)
    {
        var expected = UpstreamSchemas.For(DaemonVersion.Parse(version));

        var recognition = SchemaRecognizer.Recognize(AsDatabase(expected, withLegacy: true));

        Assert.That(recognition?.Version.ToString(), Is.EqualTo(version));
        Assert.That(recognition!.Drift, Is.Empty);
    }

    [TestCaseSource(nameof(Versions))]
    public void A_database_the_daemon_created_fresh_at_a_release_without_legacy_pieces_is_recognised_too(string version)
    {
        var expected = UpstreamSchemas.For(DaemonVersion.Parse(version));

        var recognition = SchemaRecognizer.Recognize(AsDatabase(expected, withLegacy: false));

        Assert.That(recognition?.Version.ToString(), Is.EqualTo(version));
        Assert.That(recognition!.Drift, Is.Empty);
        Assert.That(recognition.Leftovers, Is.Empty);
    }

    [Test]
    public void A_missing_column_is_drift_against_the_release_the_rest_matches()
    {
        var database = AsDatabase(UpstreamSchemas.For(DaemonVersion.Parse("0.3.0")), withLegacy: true);
        var endpoints = database.Tables["endpoints"];
        var tables = new Dictionary<string, TableInfo>(database.Tables)
        {
            ["endpoints"] = endpoints with { Columns = endpoints.Columns.Where(c => c.Name != "settings").ToList() },
        };

        var recognition = SchemaRecognizer.Recognize(database with { Tables = tables });

        Assert.That(recognition?.Version.ToString(), Is.EqualTo("0.3.0"));
        Assert.That(recognition!.Drift.Select(d => d.Subject), Is.EqualTo(new[] { "column endpoints.settings" }));
    }

    [TestCase("0.4.0")]
    [TestCase("0.5.1")]
    public void A_plugin_readmes_table_shaped_otherwise_than_guessed_is_drift_against_the_release_not_an_older_release_with_extras(string version)
    {
        // Given a database the daemon made at 0.4.0 or 0.5.1 whose plugin_readmes (not in the reference) has other columns and indexes.
        var database = AsDatabase(UpstreamSchemas.For(DaemonVersion.Parse(version)), withLegacy: false);
        var tables = new Dictionary<string, TableInfo>(database.Tables)
        {
            ["plugin_readmes"] = new("plugin_readmes", [
                new ColumnInfo("id", "uuid", false, "uuid_generate_v4()", 1),
                new ColumnInfo("plugin_id", "character varying(255)", true, null, 2),
                new ColumnInfo("readme", "text", true, null, 3),
            ]),
        };
        var indexes = database.Indexes.Where(i => i.Table != "plugin_readmes" || i.IsPrimaryKey).ToList();

        var recognition = SchemaRecognizer.Recognize(database with { Tables = tables, Indexes = indexes });

        // Then it is that release, with plugin_readmes' differences listed as drift: migrate up must not create its tables again.
        Assert.That(recognition?.Version.ToString(), Is.EqualTo(version));
        Assert.That(recognition!.Drift.Select(d => d.Subject), Does.Contain("column plugin_readmes.content").And.Contain("index idx_plugin_readmes_tenant_id"));
        Assert.That(recognition.Drift.Select(d => d.Subject), Has.All.Contains("plugin_readmes"));
    }

    [Test]
    public void A_database_without_daemon_tables_is_not_recognised()
    {
        var database = new DatabaseSchema("public", new Dictionary<string, TableInfo> { ["other"] = new("other", []) }, []);

        Assert.That(SchemaRecognizer.Recognize(database), Is.Null);
        Assert.That(SchemaRecognizer.HasDaemonTables(database), Is.False);
    }

    /// <summary>The database SchemaInspector would read for a schema, with or without the chain's legacy pieces.</summary>
    internal static DatabaseSchema AsDatabase(ExpectedSchema expected, bool withLegacy)
    {
        var tables = expected.Tables.Where(t => withLegacy || !t.IsLegacy).ToDictionary(
            t => t.Name,
            t => new TableInfo(t.Name, t.Columns.Where(c => withLegacy || !c.IsLegacy)
                .Select((c, i) => new ColumnInfo(c.Name, c.DataType, c.IsNullable, c.Default, i + 1)).ToList()));
        var indexes = expected.Indexes.Where(i => tables.ContainsKey(i.Table) && (withLegacy || !i.IsLegacy))
            .Select(i => new IndexInfo(i.Name, i.Table, i.Kind != ExpectedIndexKind.Plain, i.Kind == ExpectedIndexKind.PrimaryKey, i.Columns,
                i.Kind is ExpectedIndexKind.PrimaryKey or ExpectedIndexKind.UniqueConstraint ? i.Name : null))
            .ToList();
        return new DatabaseSchema("public", tables, indexes);
    }
}
