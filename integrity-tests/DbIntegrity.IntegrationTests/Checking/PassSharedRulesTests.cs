using DbIntegrity.Core.Configuration;
using DbIntegrity.Core.Reporting;
using DbIntegrity.Core.Rules;
using DbIntegrity.Core.Scanning;
using DbIntegrity.IntegrationTests.Infrastructure;
using Npgsql;
using static DbIntegrity.Simulator.Seeding.HealthyDeployment;

namespace DbIntegrity.IntegrationTests.Checking;

/// <summary>
/// identifier-invalid and plugin-id-mismatch leave the tables the identifier pass reads whole (plugins,
/// plugin_declarations, and the installations' identifiers) out of their own queries when the pass runs, and judge them
/// from what the pass hands over. Each fault sits in one of those tables, so a scan finds it only through the pass; the
/// same scan with the rule alone (no pass: the query reads every table) and inside a caller's transaction (the gate: one
/// connection, the rules in turn) must report exactly the same rows.
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

        /// <summary>Every rule inside the caller's transaction, as the gate scans: one connection, no second one.</summary>
        InsideATransaction,
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
        long most = 0;
        long ownHoldsDeclarations = 0;
        var report = await d.ScanAsync(progress: new Inline(p =>
        {
            if (p.Phase == "cross-checking identifiers" && p.Items == 0)
            {
                var inTransaction = d.Database.ScalarAsync<long>(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend' AND xact_start IS NOT NULL")
                    .GetAwaiter().GetResult();
                most = Math.Max(most, inTransaction);
                // The scan's own connection (not named for a use) already holds plugin_declarations, which it never reads.
                ownHoldsDeclarations = d.Database.ScalarAsync<long>(
                    "SELECT count(*) FROM pg_stat_activity a JOIN pg_locks l ON l.pid = a.pid WHERE a.datname = current_database() AND a.pid <> pg_backend_pid() "
                    + "AND a.application_name NOT LIKE '% (%)' AND l.relation = 'plugin_declarations'::regclass AND l.mode = 'AccessShareLock' AND l.granted")
                    .GetAwaiter().GetResult();
            }
        }));
        Assert.That(most, Is.EqualTo(3), "the database rules ran on a second connection beside the pass, and the declarations were read on a third");
        Assert.That(ownHoldsDeclarations, Is.EqualTo(1), "the scan's own connection took the pass's locks before the third opened");
        return report;
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
                await using (var transaction = await connection.BeginTransactionAsync())
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
