using System.Data;
using DbIntegrity.Core.Configuration;
using DbIntegrity.Core.Deployments;
using DbIntegrity.Core.Reporting;
using DbIntegrity.Core.Rules;
using DbIntegrity.Core.Scanning;
using DbIntegrity.IntegrationTests.Infrastructure;
using DbIntegrity.Simulator.Seeding;
using Npgsql;
using static DbIntegrity.Simulator.Seeding.HealthyDeployment;

namespace DbIntegrity.IntegrationTests.Checking;

/// <summary>
/// identifier-invalid and plugin-id-mismatch leave the tables the identifier pass reads whole (plugins,
/// plugin_declarations, and the installations' identifiers) out of their own queries when the pass runs, and judge them
/// from what the pass hands over. Each fault sits in one of those tables, so a scan finds it only through the pass; the
/// same scan with the rule alone (no pass: the query reads every table) and inside a caller's transaction (the gate: one
/// connection, the rules in turn) must report exactly the same rows. So must the rules the installations' digest clears
/// (refers-mismatch, category-row-orphan, and identifier-invalid's reading of the category tables), with faults the
/// digest sees only in part.
/// </summary>
[Category("Integration")]
[Parallelizable(ParallelScope.All)]
public sealed class PassSharedRulesTests
{
    private static readonly string Sha = new('e', 64);

    public enum Way
    {
        /// <summary>Every rule: the pass runs beside the database rules, on a second connection.</summary>
        WholeScan,

        /// <summary>Only the rule under test: no pass, its query reads every table.</summary>
        RuleAlone,

        /// <summary>Every rule inside the caller's transaction, as the gate scans: one connection, no second one; READ COMMITTED.</summary>
        InsideATransaction,

        /// <summary>Every rule inside the caller's REPEATABLE READ transaction: one connection and one snapshot.</summary>
        InsideARepeatableReadTransaction,
    }

    [TestCase(Way.WholeScan)]
    [TestCase(Way.RuleAlone)]
    [TestCase(Way.InsideATransaction)]
    public async Task Identifier_invalid_finds_rejected_values_in_the_passs_tables_every_way(Way way)
    {
        await using var d = await DeploymentUnderTest.CreateAsync(store: TestStoreKind.Local);
        var google = d.Deployment.Installation(Tenant(2), Plugins.Google);
        var openAi = d.Deployment.Installation(Tenant(1), Plugins.OpenAi);
        var agent = d.Deployment.Installation(Tenant(0), Plugins.Agent);
        var inPlugins = $"langgenius/Google:0.0.9@{Sha}";
        const string inDeclarations = "langgenius/openai 0.0.1";
        const string inInstallations = "not an identifier";
        // A plugins row, and a category row holding the same rejected value (a table the pass does not read).
        await d.Database.ExecuteAsync($"UPDATE plugins SET plugin_unique_identifier = '{inPlugins}' WHERE id = '{google.PluginRowId}'");
        await d.Database.ExecuteAsync($"UPDATE {google.CategoryRow!.Table} SET plugin_unique_identifier = '{inPlugins}' WHERE id = '{google.CategoryRow.Id}'");
        var declaration = await d.Database.ScalarAsync<Guid>(
            $"UPDATE plugin_declarations SET plugin_unique_identifier = '{inDeclarations}' WHERE plugin_unique_identifier = '{openAi.Identifier.Value}' RETURNING id");
        await d.Database.ExecuteAsync($"UPDATE plugin_installations SET plugin_unique_identifier = '{inInstallations}' WHERE id = '{openAi.InstallationId}'");
        // NULL in a table the pass reads: the pass skips NULL identifiers, the query's probe must not.
        await d.Database.ExecuteAsync($"UPDATE plugins SET plugin_unique_identifier = NULL WHERE id = '{agent.PluginRowId}'");

        var report = await ScanAsync(d, way, "identifier-invalid");

        Assert.That(report.IncompleteReason, Is.Null);
        Assert.That(report.Findings.Where(f => f.Rule == "identifier-invalid").Select(f => (f.Table, f.RowId, f.Identifier)), Is.EquivalentTo(new (string?, string?, string?)[]
        {
            ("plugins", google.PluginRowId.ToString(), inPlugins),
            (google.CategoryRow.Table, google.CategoryRow.Id.ToString(), inPlugins),
            ("plugin_declarations", declaration.ToString(), inDeclarations),
            ("plugin_installations", openAi.InstallationId.ToString(), inInstallations),
            ("plugins", agent.PluginRowId.ToString(), null),
        }));
    }

    [TestCase(Way.WholeScan)]
    [TestCase(Way.RuleAlone)]
    [TestCase(Way.InsideATransaction)]
    public async Task Plugin_id_mismatch_finds_wrong_plugin_ids_in_the_passs_tables_every_way(Way way)
    {
        await using var d = await DeploymentUnderTest.CreateAsync(store: TestStoreKind.Local);
        var google = d.Deployment.Installation(Tenant(2), Plugins.Google);
        var openAi = d.Deployment.Installation(Tenant(1), Plugins.OpenAi);
        await d.Database.ExecuteAsync($"UPDATE plugins SET plugin_id = 'langgenius/googl' WHERE id = '{google.PluginRowId}'");
        var declaration = await d.Database.ScalarAsync<Guid>(
            $"UPDATE plugin_declarations SET plugin_id = 'langgenius/openai:0.0.1' WHERE plugin_unique_identifier = '{openAi.Identifier.Value}' RETURNING id");
        await d.Database.ExecuteAsync($"UPDATE plugin_installations SET plugin_id = 'LANGGENIUS/OPENAI' WHERE id = '{openAi.InstallationId}'");
        // A right plugin_id on a row whose identifier the daemon rejects: identifier-invalid's finding, not this rule's.
        await d.Database.ExecuteAsync($"UPDATE plugins SET plugin_unique_identifier = 'langgenius/openai' WHERE id = '{openAi.PluginRowId}'");

        var report = await ScanAsync(d, way, "plugin-id-mismatch");

        Assert.That(report.IncompleteReason, Is.Null);
        Assert.That(report.Findings.Where(f => f.Rule == "plugin-id-mismatch").Select(f => (f.Table, f.RowId, f.PluginId)), Is.EquivalentTo(new (string?, string?, string?)[]
        {
            ("plugins", google.PluginRowId.ToString(), "langgenius/googl"),
            ("plugin_declarations", declaration.ToString(), "langgenius/openai:0.0.1"),
            ("plugin_installations", openAi.InstallationId.ToString(), "LANGGENIUS/OPENAI"),
        }));
        Assert.That(report.Findings.Single(f => f.Table == "plugins" && f.Rule == "plugin-id-mismatch").Message, Does.Contain($"belongs to {Plugins.Google}"));
    }

    [TestCase(Way.WholeScan)]
    [TestCase(Way.InsideATransaction)]
    public async Task Identifier_invalid_reports_a_NULL_identifier_in_each_table_the_pass_reads(Way way)
    {
        // The pass skips NULL identifiers (they sort nowhere); the rule's query probes each table for them.
        await using var d = await DeploymentUnderTest.CreateAsync(store: TestStoreKind.Local);
        var google = d.Deployment.Installation(Tenant(2), Plugins.Google);
        var openAi = d.Deployment.Installation(Tenant(1), Plugins.OpenAi);
        await d.Database.ExecuteAsync($"UPDATE plugins SET plugin_unique_identifier = NULL WHERE id = '{google.PluginRowId}'");
        var declaration = await d.Database.ScalarAsync<Guid>(
            $"UPDATE plugin_declarations SET plugin_unique_identifier = NULL WHERE plugin_unique_identifier = '{openAi.Identifier.Value}' RETURNING id");
        await d.Database.ExecuteAsync($"UPDATE plugin_installations SET plugin_unique_identifier = NULL WHERE id = '{openAi.InstallationId}'");

        var report = await ScanAsync(d, way, "identifier-invalid");

        Assert.That(report.IncompleteReason, Is.Null);
        Assert.That(report.Findings.Where(f => f.Rule == "identifier-invalid").Select(f => (f.Table, f.RowId, f.Identifier)), Is.EquivalentTo(new (string?, string?, string?)[]
        {
            ("plugins", google.PluginRowId.ToString(), null),
            ("plugin_declarations", declaration.ToString(), null),
            ("plugin_installations", openAi.InstallationId.ToString(), null),
        }));
    }

    // The installations' digest vouches for a category row's identifier only when it is its installation's, byte for
    // byte: then identifier-invalid's query leaves the category tables out. Each row here is one it must not vouch for,
    // and the category tables are read after the pass.
    [TestCase(Way.WholeScan)]
    [TestCase(Way.RuleAlone)]
    [TestCase(Way.InsideATransaction)]
    public async Task Identifier_invalid_finds_category_rows_the_installations_digest_cannot_vouch_for_every_way(Way way)
    {
        await using var d = await DeploymentUnderTest.CreateAsync(store: TestStoreKind.Local);
        var google = d.Deployment.Installation(Tenant(2), Plugins.Google);
        var openAi = d.Deployment.Installation(Tenant(1), Plugins.OpenAi);
        var table = google.CategoryRow!.Table;
        // NULL on a row whose installation is sound (the digest joins it as '').
        await d.Database.ExecuteAsync($"UPDATE {table} SET plugin_unique_identifier = NULL WHERE id = '{google.CategoryRow.Id}'");
        // A rejected value on a row that joins no installation (a tenant that has none).
        var stray = Guid.NewGuid();
        await d.Database.ExecuteAsync($"""
            INSERT INTO {table}
            SELECT (json_populate_record(NULL::{table}, (row_to_json(c)::jsonb || jsonb_build_object(
                'id', '{stray}', 'tenant_id', gen_random_uuid(), 'plugin_unique_identifier', 'no installation here'))::json)).*
            FROM {table} c WHERE id = '{google.CategoryRow.Id}'
            """);
        // The same rejected value on an installation and its category row: the digest vouches for the row, whose value
        // the pass rejects with the installation's, and the follow-up names both.
        var openAiRow = openAi.CategoryRow!;
        await d.Database.ExecuteAsync($"""
            UPDATE plugin_installations SET plugin_unique_identifier = 'both rejected' WHERE id = '{openAi.InstallationId}';
            UPDATE {openAiRow.Table} SET plugin_unique_identifier = 'both rejected' WHERE id = '{openAiRow.Id}';
            """);

        var report = await ScanAsync(d, way, "identifier-invalid");

        Assert.That(report.IncompleteReason, Is.Null);
        Assert.That(report.Findings.Where(f => f.Rule == "identifier-invalid").Select(f => (f.Table, f.RowId, f.Identifier)), Is.EquivalentTo(new (string?, string?, string?)[]
        {
            (table, google.CategoryRow.Id.ToString(), null),
            (table, stray.ToString(), "no installation here"),
            ("plugin_installations", openAi.InstallationId.ToString(), "both rejected"),
            (openAiRow.Table, openAiRow.Id.ToString(), "both rejected"),
        }));
    }

    // refers-mismatch and category-row-orphan run after the pass only when the installations' digest leaves room for a
    // finding. These are the faults it sees only in part: a plugins row without an identifier (the pass skips it), and an
    // installation without one (the digest counts it with the category rows that join no installation).
    [TestCase(Way.WholeScan)]
    [TestCase(Way.RuleAlone)]
    [TestCase(Way.InsideATransaction)]
    public async Task Refers_mismatch_finds_a_plugins_row_without_an_identifier_every_way(Way way)
    {
        await using var d = await DeploymentUnderTest.CreateAsync(store: TestStoreKind.Local);
        var agent = d.Deployment.Installation(Tenant(0), Plugins.Agent);
        await d.Database.ExecuteAsync($"UPDATE plugins SET plugin_unique_identifier = NULL, refers = 1 WHERE id = '{agent.PluginRowId}'");

        var report = await ScanAsync(d, way, "refers-mismatch");

        AssertRowsFound(report, "refers-mismatch", ("plugins", agent.PluginRowId.ToString()));
    }

    // The digest counts installations byte for byte; refers-mismatch's query with the columns' own equality. Where that
    // equality folds two spellings (a nondeterministic collation), the query must run, and count both.
    [TestCase(Way.WholeScan)]
    [TestCase(Way.RuleAlone)]
    [TestCase(Way.InsideATransaction)]
    public async Task Refers_mismatch_counts_what_the_columns_equality_counts_every_way(Way way)
    {
        await using var d = await DeploymentUnderTest.CreateAsync(store: TestStoreKind.Local);
        var openAi = d.Deployment.Installation(Tenant(1), Plugins.OpenAi);
        await d.Database.ExecuteAsync($"""
            CREATE COLLATION case_insensitive (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
            ALTER TABLE plugins ALTER COLUMN plugin_unique_identifier TYPE varchar(255) COLLATE case_insensitive;
            ALTER TABLE plugin_installations ALTER COLUMN plugin_unique_identifier TYPE varchar(255) COLLATE case_insensitive;
            INSERT INTO plugin_installations
            SELECT (jsonb_populate_record(NULL::plugin_installations, to_jsonb(i) || jsonb_build_object(
                'id', gen_random_uuid(), 'tenant_id', gen_random_uuid(), 'plugin_unique_identifier', upper(i.plugin_unique_identifier::text)))).*
            FROM plugin_installations i WHERE id = '{openAi.InstallationId}';
            """);

        var report = await ScanAsync(d, way, "refers-mismatch");

        AssertRowsFound(report, "refers-mismatch", ("plugins", openAi.PluginRowId.ToString()));
    }

    // A consistent deployment leaves the digest nothing to doubt, so neither query it clears runs, beside the pass or
    // in one REPEATABLE READ transaction (either would report its phase on the scan's own connection, where they run
    // after the pass). Were the installations' count never compared, both would run and every finding above would be
    // the same: only this shows that it is. In a READ COMMITTED transaction (a migration's, which the gate scans in) the
    // digest and the count read snapshots of their own, so the count is not compared and both run.
    [TestCase(Way.WholeScan, IsolationLevel.Unspecified, false)]
    [TestCase(Way.InsideATransaction, IsolationLevel.RepeatableRead, false)]
    [TestCase(Way.InsideATransaction, IsolationLevel.ReadCommitted, true)]
    public async Task A_consistent_deployment_runs_neither_query_the_digest_clears_unless_read_committed(Way way, IsolationLevel isolation, bool bothRun)
    {
        await using var d = await DeploymentUnderTest.CreateAsync(store: TestStoreKind.Local);
        var phases = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var progress = new Inline(p => phases.Enqueue(p.Phase));

        ScanReport report;
        if (way == Way.WholeScan)
        {
            report = await d.ScanAsync(progress: progress);
        }
        else
        {
            await using var connection = await d.Database.DataSource.OpenConnectionAsync();
            await using var transaction = await connection.BeginTransactionAsync(isolation);
            report = await IntegrityScanner.ScanWithinAsync(connection, transaction, d.Bucket.Store, StorageLayout.Default, new ScanOptions { Grace = TimeSpan.Zero }, progress, CancellationToken.None);
        }

        Assert.That(report.Status, Is.EqualTo(ScanStatus.Consistent), report.IncompleteReason);
        Assert.That(phases, bothRun
            ? Has.Some.EqualTo("checking the tables: refers-mismatch").And.Some.EqualTo("checking the tables: category-row-orphan")
            : Has.None.EqualTo("checking the tables: refers-mismatch").And.None.EqualTo("checking the tables: category-row-orphan"));
    }

    // The digest counts an installation once for each category row it joins to. When a tenant and plugin has two (here
    // one in each of two tables, as a plugin of two categories has), that count is not the installations', and the
    // query must run: a refers that matches the joined rows, one more than the installations, is found only that way.
    [TestCase(Way.WholeScan)]
    [TestCase(Way.RuleAlone)]
    [TestCase(Way.InsideATransaction)]
    [TestCase(Way.InsideARepeatableReadTransaction)]
    public async Task Refers_mismatch_finds_a_refers_counting_an_installations_two_category_rows_every_way(Way way)
    {
        await using var d = await DeploymentUnderTest.CreateAsync(store: TestStoreKind.Local);
        var google = d.Deployment.Installation(Tenant(2), Plugins.Google);
        await d.Database.ExecuteAsync(SecondCategoryRowCountedInRefersSql(google));

        var report = await ScanAsync(d, way, "refers-mismatch");

        AssertRowsFound(report, "refers-mismatch", ("plugins", google.PluginRowId.ToString()));
    }

    // The digest's installations are added up over every row, those without an identifier too, against the table's
    // count: an installation whose identifier is NULL counts once there as in the table. Were it left out, the extra row
    // of an installation joined to two category rows would make the sums meet, and the refers matching that extra row
    // would be cleared. (The NULL identifier's plugin has its refers lowered to match, so only the digest's sum is left to
    // tell.)
    [TestCase(Way.WholeScan)]
    [TestCase(Way.InsideARepeatableReadTransaction)]
    public async Task Refers_mismatch_is_not_cleared_when_an_installation_without_an_identifier_would_even_out_the_sums(Way way)
    {
        await using var d = await DeploymentUnderTest.CreateAsync(store: TestStoreKind.Local);
        var google = d.Deployment.Installation(Tenant(2), Plugins.Google);
        var openAi = d.Deployment.Installation(Tenant(0), Plugins.OpenAi);
        await d.Database.ExecuteAsync($"""
            {SecondCategoryRowCountedInRefersSql(google)}
            UPDATE plugin_installations SET plugin_unique_identifier = NULL WHERE id = '{openAi.InstallationId}';
            UPDATE plugins SET refers = refers - 1 WHERE id = '{openAi.PluginRowId}';
            """);

        var report = await ScanAsync(d, way, "refers-mismatch");

        AssertRowsFound(report, "refers-mismatch", ("plugins", google.PluginRowId.ToString()));
    }

    [TestCase(Way.WholeScan)]
    [TestCase(Way.RuleAlone)]
    [TestCase(Way.InsideATransaction)]
    public async Task Category_row_orphan_finds_a_second_category_row_of_an_installation_without_an_identifier_every_way(Way way)
    {
        await using var d = await DeploymentUnderTest.CreateAsync(store: TestStoreKind.Local);
        var google = d.Deployment.Installation(Tenant(2), Plugins.Google);
        var table = google.CategoryRow!.Table;
        var second = Guid.NewGuid();
        await d.Database.ExecuteAsync($"""
            UPDATE plugin_installations SET plugin_unique_identifier = NULL WHERE id = '{google.InstallationId}';
            INSERT INTO {table}
            SELECT (json_populate_record(NULL::{table}, (row_to_json(c)::jsonb || jsonb_build_object('id', '{second}', 'created_at', c.created_at + interval '1 second'))::json)).*
            FROM {table} c WHERE id = '{google.CategoryRow.Id}';
            """);

        var report = await ScanAsync(d, way, "category-row-orphan");

        AssertRowsFound(report, "category-row-orphan", (table, second.ToString()));
    }

    [Test]
    public async Task A_rejected_value_in_a_passs_row_written_within_the_grace_period_is_in_flight_not_an_error()
    {
        // The follow-up reads the row with its timestamps, so the grace period applies to what the pass handed over
        // as it does to what the rule's own query found.
        await using var d = await DeploymentUnderTest.CreateAsync(store: TestStoreKind.Local);
        var google = d.Deployment.Installation(Tenant(2), Plugins.Google);
        await d.Database.ExecuteAsync($"UPDATE plugins SET plugin_unique_identifier = 'langgenius/Google:0.0.9@{Sha}', updated_at = now() WHERE id = '{google.PluginRowId}'");

        var withGrace = await d.ScanAsync(grace: TimeSpan.FromHours(1));
        var withoutGrace = await d.ScanAsync();

        Assert.That(withGrace.IncompleteReason, Is.Null);
        Assert.That(withGrace.Findings.Where(f => f.Rule == "identifier-invalid"), Is.Empty);
        Assert.That(withGrace.InFlight, Is.GreaterThanOrEqualTo(1));
        Assert.That(withoutGrace.Findings.Where(f => f.Rule == "identifier-invalid").Select(f => (f.Table, f.RowId)), Is.EqualTo(new (string?, string?)[] { ("plugins", google.PluginRowId.ToString()) }));
    }

    [Test]
    public async Task More_rejected_values_in_the_passs_tables_than_the_rule_remembers_are_all_reported()
    {
        // Past the limit the rule forgets the values and its follow-up reads every row again: the values the pass
        // handed over must not be lost on the way.
        await using var d = await DeploymentUnderTest.CreateAsync(store: TestStoreKind.Local);
        var google = d.Deployment.Installation(Tenant(2), Plugins.Google);
        const int count = IdentifierInvalidRule.DistinctInvalidLimit + 5;
        await d.Database.ExecuteAsync($"""
            INSERT INTO plugins
            SELECT (jsonb_populate_record(NULL::plugins, to_jsonb(p) || jsonb_build_object('id', gen_random_uuid(), 'plugin_unique_identifier', 'not an identifier ' || n))).*
            FROM plugins p, generate_series(1, {count}) AS n
            WHERE p.id = '{google.PluginRowId}'
            """);

        var report = await d.ScanAsync();

        Assert.That(report.IncompleteReason, Is.Null);
        var rows = report.Findings.Where(f => f.Rule == "identifier-invalid").ToList();
        Assert.That(rows, Has.Count.EqualTo(count));
        Assert.That(rows.Select(f => f.Identifier).Distinct().Count(), Is.EqualTo(count));
        Assert.That(rows.Select(f => f.Table).Distinct(), Is.EqualTo(new[] { "plugins" }));
    }

    // An expression in USING makes PostgreSQL copy every row into a new file (a rewrite), whatever the types.
    [TestCase("ALTER TABLE serverless_runtimes ALTER COLUMN created_at TYPE timestamptz USING created_at + interval '0'")]
    [TestCase("""
        CREATE TABLE serverless_runtimes_copy (LIKE serverless_runtimes INCLUDING ALL);
        INSERT INTO serverless_runtimes_copy SELECT * FROM serverless_runtimes;
        ALTER TABLE serverless_runtimes RENAME TO serverless_runtimes_old;
        ALTER TABLE serverless_runtimes_copy RENAME TO serverless_runtimes
        """)]
    public async Task A_table_rewritten_before_identifier_invalids_follow_up_read_it_fails_the_scan_closed(string change)
    {
        // A rejected value only in serverless_runtimes, a table the pass does not read: the second connection's query
        // finds it, and the follow-up that names its rows waits for the pass, on the scan's connection, after the second
        // one ended its transaction and released its lock. Once the pass has started, with the database rules done, the
        // table is rewritten (ALTER TABLE … TYPE, not MVCC-safe): the scan's snapshot now sees it empty, so the
        // follow-up finds no row. So does a copy renamed into its place (an online schema change): its rows are all newer
        // than the snapshot. That must not pass for "no finding": the scan stops as incomplete, naming the table.
        await using var d = await DeploymentUnderTest.CreateAsync(store: TestStoreKind.Local);
        var row = Guid.NewGuid();
        await d.Database.ExecuteAsync(
            $"INSERT INTO serverless_runtimes (id, plugin_unique_identifier, type, declaration) VALUES ('{row}', 'not an identifier', 'serverless', '{{}}')");
        string? rewrite = null;
        var progress = new Inline(p =>
        {
            if (p.Phase != "cross-checking identifiers" || rewrite is not null)
            {
                return;
            }

            // This blocks the pass (progress is reported on its thread) until the rewrite was tried.
            rewrite = TryRewriteOnceUnlockedAsync(d.Database, change).GetAwaiter().GetResult();
        });

        var report = await d.ScanAsync(progress: progress);

        Assert.That(rewrite, Is.EqualTo("rewritten"));
        Assert.That(report.Status, Is.EqualTo(ScanStatus.Incomplete));
        Assert.That(report.IncompleteReason, Does.StartWith("serverless_runtimes was rewritten, emptied or replaced while the scan read the database"));
    }

    // Waits until no other connection holds a lock on serverless_runtimes (the second connection ended its transaction),
    // then makes the change with a lock timeout: "rewritten" when the name now has another file, or the SQLSTATE that
    // refused it.
    private static async Task<string> TryRewriteOnceUnlockedAsync(TestDatabase database, string change)
    {
        for (var polls = 0; polls < 600; polls++)
        {
            var holders = await database.ScalarAsync<long>(
                "SELECT count(*) FROM pg_locks WHERE relation = 'serverless_runtimes'::regclass AND pid <> pg_backend_pid()");
            if (holders == 0)
            {
                break;
            }

            await Task.Delay(100);
        }

        const string fileNode = "SELECT pg_relation_filenode('serverless_runtimes')::bigint";
        var before = await database.ScalarAsync<long>(fileNode);
        try
        {
            await database.ExecuteAsync($"SET lock_timeout = '5s'; {change}; RESET lock_timeout");
            return await database.ScalarAsync<long>(fileNode) == before ? "done, but not rewritten" : "rewritten";
        }
        catch (PostgresException ex)
        {
            return ex.SqlState;
        }
    }

    private static async Task<ScanReport> WholeScanAsync(DeploymentUnderTest d)
    {
        long open = 0;
        long ownHoldsDeclarations = 0;
        // A data source of its own, so that the scan's connections are told apart by name from the test's.
        await using var dataSource = d.Database.Settings.CreateDataSource("dbi-whole-scan");
        var progress = new Inline(p =>
        {
            if (p.Phase == "cross-checking identifiers" && p.Items == 0)
            {
                // Counted open, not in a transaction: the second connection may have finished its rules, and ended its
                // transaction, before the pass starts; it stays open until the pass ends.
                open = d.Database.ScalarAsync<long>(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name LIKE 'dbi-whole-scan%'")
                    .GetAwaiter().GetResult();
                // The scan's own connection (not named for a use) already holds plugin_declarations, which it never reads.
                ownHoldsDeclarations = d.Database.ScalarAsync<long>(
                    "SELECT count(*) FROM pg_stat_activity a JOIN pg_locks l ON l.pid = a.pid WHERE a.datname = current_database() AND a.pid <> pg_backend_pid() "
                    + "AND a.application_name NOT LIKE '% (%)' AND l.relation = 'plugin_declarations'::regclass AND l.mode = 'AccessShareLock' AND l.granted")
                    .GetAwaiter().GetResult();
            }
        });
        var report = await IntegrityScanner.ScanAsync(
            new DeploymentReader(dataSource, d.Bucket.Store, StorageLayout.Default), new ScanOptions { Grace = TimeSpan.Zero }, progress, CancellationToken.None);
        Assert.That(open, Is.EqualTo(3), "the database rules ran on a second connection beside the pass, and the declarations were read on a third");
        Assert.That(ownHoldsDeclarations, Is.EqualTo(1), "the scan's own connection took the pass's locks before the third opened");
        return report;
    }

    // A complete scan whose findings of the rule are exactly these rows.
    // A second category row for the installation, in the other table (as a plugin of two categories has), and its
    // plugins row's refers one more than its installations: the rows the digest joins for them.
    private static string SecondCategoryRowCountedInRefersSql(SeededInstallation installation)
    {
        var table = installation.CategoryRow!.Table;
        var other = table == "ai_model_installations" ? "tool_installations" : "ai_model_installations";
        return $"""
            INSERT INTO {other} (id, created_at, updated_at, tenant_id, provider, plugin_unique_identifier, plugin_id)
            SELECT gen_random_uuid(), created_at, updated_at, tenant_id, provider, plugin_unique_identifier, plugin_id FROM {table} WHERE id = '{installation.CategoryRow.Id}';
            UPDATE plugins p SET refers = 1 + (SELECT count(*) FROM plugin_installations i WHERE i.plugin_unique_identifier = p.plugin_unique_identifier)
            WHERE id = '{installation.PluginRowId}';
            """;
    }

    private static void AssertRowsFound(ScanReport report, string rule, params (string? Table, string? RowId)[] rows)
    {
        Assert.That(report.IncompleteReason, Is.Null);
        Assert.That(report.Findings.Where(f => f.Rule == rule).Select(f => (f.Table, f.RowId)), Is.EquivalentTo(rows));
    }

    private static async Task<ScanReport> ScanAsync(DeploymentUnderTest d, Way way, string rule)
    {
        switch (way)
        {
            case Way.WholeScan:
                return await WholeScanAsync(d);

            case Way.RuleAlone:
                return await d.ScanAsync(new ScanOptions { Grace = TimeSpan.Zero, Rules = new HashSet<string>(StringComparer.Ordinal) { rule } });
            default:
                await using (var connection = await d.Database.DataSource.OpenConnectionAsync())
                await using (var transaction = await connection.BeginTransactionAsync(way == Way.InsideARepeatableReadTransaction ? IsolationLevel.RepeatableRead : IsolationLevel.ReadCommitted))
                {
                    return await IntegrityScanner.ScanWithinAsync(connection, transaction, d.Bucket.Store, StorageLayout.Default, new ScanOptions { Grace = TimeSpan.Zero }, null, CancellationToken.None);
                }
        }
    }

    private sealed class Inline(Action<ScanProgress> report) : IProgress<ScanProgress>
    {
        public void Report(ScanProgress value) => report(value);
    }
}
