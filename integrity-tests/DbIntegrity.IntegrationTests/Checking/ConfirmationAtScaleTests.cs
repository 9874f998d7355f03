using DbIntegrity.Core.Configuration;
using DbIntegrity.Core.Deployments;
using DbIntegrity.Core.Reporting;
using DbIntegrity.Core.Rules;
using DbIntegrity.Core.Scanning;
using DbIntegrity.Core.Sorting;
using DbIntegrity.Core.Storage;
using DbIntegrity.IntegrationTests.Infrastructure;

namespace DbIntegrity.IntegrationTests.Checking;

/// <summary>
/// A lost prefix makes a candidate per row (issue 13): they are confirmed by listing the key range again, not by a
/// HEAD each, held in a bounded buffer that spills to disk, and their query rechecks run in batches. Every finding is
/// still reported, and a candidate the live state no longer supports is still rejected.
/// </summary>
[Category("Integration")]
[Parallelizable(ParallelScope.Self)]
public sealed class ConfirmationAtScaleTests
{
    private static readonly string Sha = new('c', 64);
    private TestDatabase _database = null!;
    private TestBucket _bucket = null!;

    [SetUp]
    public async Task SetUpAsync()
    {
        _database = await TestDatabase.CreateMigratedAsync();
        _bucket = await TestBucket.CreateAsync();
    }

    [TearDown]
    public async Task TearDownAsync()
    {
        await _bucket.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Test]
    public async Task Given_plugin_packages_wiped_when_checking_then_every_finding_is_reported_confirmed_by_listing_not_by_head()
    {
        // Given 40 installed local plugins whose plugin/<id> markers exist and whose packages are all gone.
        const int Plugins = 40;
        await InsertPluginsAsync(Plugins, refers: 1);
        await Parallel.ForEachAsync(Enumerable.Range(0, Plugins), async (i, ct) => await _bucket.Store.PutAsync(StorageLayout.Default.InstalledKey(Identifier(i)), "x"u8.ToArray(), ct));
        await using var proxy = S3Proxy.Start(TestServices.Environment.Get("S3_ENDPOINT")!);
        using var store = S3ObjectStore.Create(StorageSettings.FromDaemonVariables(Settings(proxy)));

        // When the check runs with a candidate buffer of 7 (the rest written to the spill files in chunks of 512 bytes)
        // and HEADs for at most 3 candidates per prefix, and while it confirms, two packages come back and one plugins
        // row goes away (the daemon is live).
        var rowGone = await _database.ScalarAsync<string>($"SELECT id::text FROM plugins WHERE plugin_unique_identifier = '{Identifier(7)}'");
        var progress = new Inline(p =>
        {
            if (p.Phase.StartsWith("confirming", StringComparison.Ordinal))
            {
                _bucket.Store.PutAsync(StorageLayout.Default.PackageKey(Identifier(3)), "x"u8.ToArray(), CancellationToken.None).GetAwaiter().GetResult();
                _bucket.Store.PutAsync(StorageLayout.Default.PackageKey(Identifier(31)), "x"u8.ToArray(), CancellationToken.None).GetAwaiter().GetResult();
                _database.ExecuteAsync($"DELETE FROM plugins WHERE id = '{rowGone}'").GetAwaiter().GetResult();
                proxy.Requests.Clear();
            }
        });
        var report = await IntegrityScanner.ScanAsync(new DeploymentReader(_database.DataSource, store, StorageLayout.Default),
            new ScanOptions { Grace = TimeSpan.Zero, CandidateBuffer = 7, CandidateChunkBytes = 512, HeadConfirmationLimit = 3, Rules = new HashSet<string>(["plugin-package-missing", "declaration-package-missing", "installed-package-missing"]) },
            progress, CancellationToken.None);

        // Then every other plugin is reported by all three rules, the restored and removed ones are rejected, and the
        // confirmation listed plugin/ and plugin_packages/ once each instead of sending 80 HEADs.
        Assert.That(report.Status, Is.EqualTo(ScanStatus.Inconsistent), report.IncompleteReason);
        Assert.That(report.CountsByRule, Is.EquivalentTo(new Dictionary<string, int>
        {
            ["plugin-package-missing"] = Plugins - 3,
            ["declaration-package-missing"] = Plugins - 2,
            ["installed-package-missing"] = Plugins - 2,
        }));
        Assert.That(report.Unconfirmed, Is.EqualTo(7));
        Assert.That(report.Findings.Where(f => f.Rule == "plugin-package-missing").Select(f => f.Identifier),
            Is.EquivalentTo(Enumerable.Range(0, Plugins).Where(i => i is not (3 or 31 or 7)).Select(Identifier)));
        lock (proxy.Requests)
        {
            Assert.That(proxy.Requests.Count(r => r.StartsWith("HEAD", StringComparison.Ordinal)), Is.Zero, string.Join("\n", proxy.Requests));
            Assert.That(proxy.Requests.Count(r => r.Contains("start-after=", StringComparison.Ordinal)), Is.EqualTo(2), string.Join("\n", proxy.Requests));
        }
    }

    [Test]
    public async Task Given_thousands_of_candidates_in_one_prefix_on_s3_then_their_ranges_are_listed_a_chunk_at_a_time_and_each_answer_kept()
    {
        // Given 2,500 installed local plugins whose plugin/<id> markers exist and whose packages are all gone.
        const int Plugins = 2500;
        await InsertPluginsAsync(Plugins, refers: 1);
        await Parallel.ForEachAsync(Enumerable.Range(0, Plugins), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
            await _bucket.Store.PutAsync(StorageLayout.Default.InstalledKey(Identifier(i)), "x"u8.ToArray(), ct));
        await using var proxy = S3Proxy.Start(TestServices.Environment.Get("S3_ENDPOINT")!);
        using var store = S3ObjectStore.Create(StorageSettings.FromDaemonVariables(Settings(proxy)));

        // When the check confirms installed-package-missing (its marker must still exist, its package must still be
        // missing), while markers go away at the chunks' edges: the 1st, 1,000th, 1,001st and 1,002nd candidates, and
        // the last.
        int[] markersGone = [0, 999, 1000, 1001, 2499];
        var progress = new Inline(p =>
        {
            if (p.Phase.StartsWith("confirming", StringComparison.Ordinal))
            {
                foreach (var i in markersGone)
                {
                    _bucket.Store.DeleteAsync(StorageLayout.Default.InstalledKey(Identifier(i)), CancellationToken.None).GetAwaiter().GetResult();
                }

                proxy.Requests.Clear();
            }
        });
        var report = await IntegrityScanner.ScanAsync(new DeploymentReader(_database.DataSource, store, StorageLayout.Default),
            new ScanOptions { Grace = TimeSpan.Zero, Rules = new HashSet<string>(["installed-package-missing"]) }, progress, CancellationToken.None);

        // Then every other plugin is reported and those five are not. plugin/ was listed in three ranges of 1,000
        // candidates, each from its own start (one pass would page on with a continuation token), and plugin_packages/
        // once: its first range's listing reached the prefix's end, which answers every later key.
        Assert.That(report.Status, Is.EqualTo(ScanStatus.Inconsistent), report.IncompleteReason);
        Assert.That(report.Findings.Select(f => f.Identifier), Is.EquivalentTo(Enumerable.Range(0, Plugins).Where(i => !markersGone.Contains(i)).Select(Identifier)));
        Assert.That(report.Unconfirmed, Is.EqualTo(markersGone.Length));
        lock (proxy.Requests)
        {
            var all = string.Join("\n", proxy.Requests);
            Assert.That(proxy.Requests.Count(r => r.StartsWith("HEAD", StringComparison.Ordinal)), Is.Zero, all);
            var markers = proxy.Requests.Where(r => r.Contains("prefix=plugin%2F", StringComparison.Ordinal) || r.Contains("prefix=plugin/&", StringComparison.Ordinal)).ToList();
            Assert.That((markers.Count, markers.Count(r => r.Contains("continuation-token=", StringComparison.Ordinal))), Is.EqualTo((3, 0)), all);
            Assert.That(proxy.Requests.Count(r => r.Contains("prefix=plugin_packages", StringComparison.Ordinal)), Is.EqualTo(1), all);
        }
    }

    [Test]
    public async Task Given_few_packages_missing_at_both_ends_of_a_long_prefix_then_the_listing_skips_the_gap_between_them()
    {
        // Given 1,110 local plugins and packages for all but the first five and the last five.
        const int Plugins = 1110;
        await InsertPluginsAsync(Plugins, refers: 0);
        await Parallel.ForEachAsync(Enumerable.Range(5, Plugins - 10), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
            await _bucket.Store.PutAsync(StorageLayout.Default.PackageKey(Identifier(i)), "x"u8.ToArray(), ct));
        await using var proxy = S3Proxy.Start(TestServices.Environment.Get("S3_ENDPOINT")!);
        using var store = S3ObjectStore.Create(StorageSettings.FromDaemonVariables(Settings(proxy)));
        var progress = new Inline(p =>
        {
            if (p.Phase.StartsWith("confirming", StringComparison.Ordinal))
            {
                proxy.Requests.Clear();
            }
        });

        // When checking with listing confirmation from 4 candidates on.
        var report = await IntegrityScanner.ScanAsync(new DeploymentReader(_database.DataSource, store, StorageLayout.Default),
            new ScanOptions { Grace = TimeSpan.Zero, CandidateBuffer = 3, CandidateChunkBytes = 512, HeadConfirmationLimit = 3, Rules = new HashSet<string>(["plugin-package-missing"]) },
            progress, CancellationToken.None);

        // Then exactly those ten are reported, with no HEAD, and the 1,100 keys between them are not all listed again:
        // one page from the first candidate, then a seek to the last ones (at most three listing requests).
        int[] missing = [0, 1, 2, 3, 4, 1105, 1106, 1107, 1108, 1109];
        Assert.That(report.Findings.Where(f => f.Rule == "plugin-package-missing").Select(f => f.Identifier), Is.EquivalentTo(missing.Select(Identifier)));
        Assert.That(report.Unconfirmed, Is.Zero);
        lock (proxy.Requests)
        {
            Assert.That(proxy.Requests.Count(r => r.StartsWith("HEAD", StringComparison.Ordinal)), Is.Zero);
            Assert.That(proxy.Requests.Count(r => r.Contains("start-after=", StringComparison.Ordinal)), Is.InRange(2, 3), string.Join("\n", proxy.Requests));
        }
    }

    [Test]
    public async Task Query_rechecks_run_in_batches_of_1000_and_each_candidate_gets_its_own_answer()
    {
        // Given 2,500 candidates of one recheck kind (every third row deleted since the snapshot) and 2,500 of another
        // (two parameters, one of them NULL for every fifth, and an alias the batch wrapper must not capture).
        await InsertPluginsAsync(2500, refers: 1);
        await _database.ExecuteAsync("UPDATE plugins SET refers = 2 WHERE plugin_id LIKE 'acme/p0__5'");
        var ids = new List<string>();
        await using (var select = _database.DataSource.CreateCommand("SELECT id::text FROM plugins ORDER BY plugin_unique_identifier"))
        await using (var reader = await select.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                ids.Add(reader.GetString(0));
            }
        }

        await _database.ExecuteAsync("DELETE FROM plugins WHERE id IN (SELECT id FROM (SELECT id, row_number() OVER (ORDER BY plugin_unique_identifier) AS n FROM plugins) r WHERE n % 3 = 0)");
        await using var connection = await _database.DataSource.OpenConnectionAsync();
        await using var failed = new ExternalSorter(runSize: 100);
        var batches = new RecheckBatches(connection, null, failed);

        // When every recheck joins a batch.
        for (var i = 0; i < 2500; i++)
        {
            await batches.AddAsync(i, new Recheck.Query("SELECT EXISTS (SELECT 1 FROM plugins WHERE id::text = $1)", ids[i]), CancellationToken.None);
            await batches.AddAsync(2500 + i, new Recheck.Query(
                "SELECT coalesce(p.refers, 0) = 1 AND $2::text IS NOT NULL FROM plugins p WHERE p.id::text = $1", ids[i], i % 5 == 0 ? DBNull.Value : "set"), CancellationToken.None);
        }

        await batches.FlushAsync(CancellationToken.None);

        // Then six round trips answered 5,000 rechecks, and exactly the ones that no longer hold failed.
        Assert.That(batches.RoundTrips, Is.EqualTo(6));
        var failedIndices = new List<long>();
        await foreach (var record in failed.SortedAsync(CancellationToken.None))
        {
            failedIndices.Add(long.Parse(record.Key, System.Globalization.CultureInfo.InvariantCulture));
        }

        var expected = Enumerable.Range(0, 2500).Where(i => (i + 1) % 3 == 0).Select(i => (long)i)
            .Concat(Enumerable.Range(0, 2500).Where(i => (i + 1) % 3 == 0 || i % 5 == 0 || (i < 1000 && i % 10 == 5)).Select(i => 2500L + i));
        Assert.That(failedIndices, Is.EqualTo(expected.Order()));
    }

    // Given a way to open a second connection, batches take turns on two once one is full while another is in flight
    // (each batch here sleeps 0.1 s on the server, so the second is always full first); the server refusing it leaves one.
    [TestCase(true, 2)]
    [TestCase(false, 1)]
    public async Task Query_rechecks_take_turns_on_a_second_connection_when_one_can_be_opened(bool opens, int lanes)
    {
        await InsertPluginsAsync(40, refers: 1);
        var ids = (await _database.ScalarAsync<string[]>("SELECT array_agg(id::text ORDER BY plugin_unique_identifier) FROM plugins"))!;
        await _database.ExecuteAsync($"DELETE FROM plugins WHERE id IN ('{ids[3]}', '{ids[17]}', '{ids[38]}')");
        await using var connection = await _database.DataSource.OpenConnectionAsync();
        await using var failed = new ExternalSorter(runSize: 100);
        var opened = new List<Npgsql.NpgsqlConnection?>();
        long[] failedIndices;
        await using (var batches = new RecheckBatches(connection, null, failed, batchSize: 10, openLane: async ct =>
        {
            opened.Add(opens ? await _database.DataSource.OpenConnectionAsync(ct) : null);
            return opened[^1];
        }))
        {
            for (var i = 0; i < ids.Length; i++)
            {
                await batches.AddAsync(i, new Recheck.Query("SELECT EXISTS (SELECT 1 FROM plugins, pg_sleep(0.01) WHERE id::text = $1)", ids[i]), CancellationToken.None);
            }

            await batches.FlushAsync(CancellationToken.None);
            Assert.That((batches.Lanes, batches.RoundTrips, opened.Count), Is.EqualTo((lanes, 4, 1)));
            failedIndices = [.. (await failed.SortedAsync(CancellationToken.None).ToListAsync()).Select(r => long.Parse(r.Key, System.Globalization.CultureInfo.InvariantCulture))];
        }

        Assert.That(failedIndices, Is.EqualTo(new long[] { 3, 17, 38 }));
        Assert.That(opened[0]?.State ?? System.Data.ConnectionState.Closed, Is.EqualTo(System.Data.ConnectionState.Closed), "the connection opened for the batches is closed with them");
        Assert.That(connection.State, Is.EqualTo(System.Data.ConnectionState.Open), "the caller's is left open");
    }

    // A batch that fails on the second connection while the first has one in flight fails the confirmation with its own
    // error, and the connection opened for it is closed all the same.
    [Test]
    public async Task A_batch_failing_on_the_second_connection_surfaces_its_error_and_the_connection_is_closed()
    {
        await InsertPluginsAsync(40, refers: 1);
        var ids = (await _database.ScalarAsync<string[]>("SELECT array_agg(id::text ORDER BY plugin_unique_identifier) FROM plugins"))!;
        await using var connection = await _database.DataSource.OpenConnectionAsync();
        await using var failed = new ExternalSorter(runSize: 100);
        Npgsql.NpgsqlConnection? lane = null;
        var recheck = $"SELECT EXISTS (SELECT 1 FROM plugins, pg_sleep(0.01) WHERE id::text = $1) AND 1 / (CASE WHEN $1 = '{ids[15]}' THEN 0 ELSE 1 END) = 1";

        var error = Assert.ThrowsAsync<Npgsql.PostgresException>(async () =>
        {
            await using var batches = new RecheckBatches(connection, null, failed, batchSize: 10, openLane: async ct => lane = await _database.DataSource.OpenConnectionAsync(ct));
            for (var i = 0; i < ids.Length; i++)
            {
                await batches.AddAsync(i, new Recheck.Query(recheck, ids[i]), CancellationToken.None);
            }

            await batches.FlushAsync(CancellationToken.None);
        });

        Assert.That(error!.SqlState, Is.EqualTo(Npgsql.PostgresErrorCodes.DivisionByZero));
        Assert.That(lane, Is.Not.Null, "the second batch ran on a connection of its own");
        Assert.That(lane!.State, Is.EqualTo(System.Data.ConnectionState.Closed));
    }

    private static string Identifier(int i) => $"acme/p{i:D4}:1.0.0@{Sha}";

    private async Task InsertPluginsAsync(int count, long refers)
    {
        // One local plugins row and one declaration row per identifier, zero-padded so key order is number order.
        await _database.ExecuteAsync($$"""
            INSERT INTO plugins (id, created_at, updated_at, plugin_unique_identifier, plugin_id, refers, install_type, manifest_type, remote_declaration, source)
            SELECT gen_random_uuid(), now() - interval '1 hour', now() - interval '1 hour', 'acme/p' || lpad(n::text, 4, '0') || ':1.0.0@{{Sha}}', 'acme/p' || lpad(n::text, 4, '0'), {{refers}}, 'local', '', '{}', 'marketplace'
            FROM generate_series(0, {{count - 1}}) AS n;
            INSERT INTO plugin_declarations (id, created_at, updated_at, plugin_unique_identifier, plugin_id, declaration)
            SELECT gen_random_uuid(), created_at, updated_at, plugin_unique_identifier, plugin_id, '{}' FROM plugins;
            """);
    }

    private SettingsSource Settings(S3Proxy proxy) =>
        CliRunner.Environment(_database, _bucket, new Dictionary<string, string?> { ["S3_ENDPOINT"] = proxy.Endpoint.ToString() });

    private sealed class Inline(Action<ScanProgress> report) : IProgress<ScanProgress>
    {
        public void Report(ScanProgress value) => report(value);
    }
}
