using System.Runtime.CompilerServices;
using DbIntegrity.Core.Configuration;
using DbIntegrity.Core.Deployments;
using DbIntegrity.Core.Reporting;
using DbIntegrity.Core.Scanning;
using DbIntegrity.Core.Storage;
using DbIntegrity.IntegrationTests.Infrastructure;
using Npgsql;

namespace DbIntegrity.IntegrationTests.Checking;

/// <summary>
/// The scan's cursor reads are bounded by the scan's --timeout, not by Npgsql's per-statement CommandTimeout (30 s by
/// default): a FETCH that sorts a large table for longer than that must not end the scan as "incomplete". Nor may the
/// server's statement_timeout, set by the operator, end a scan whose every statement is short: the declarations are
/// then read by cursor, not streamed as one statement for the whole pass (PgStream).
/// </summary>
[Category("Integration")]
[Parallelizable(ParallelScope.Self)]
public sealed class ScanStatementTimeoutTests
{
    [Test]
    public async Task A_cursor_read_slower_than_the_command_timeout_still_completes()
    {
        await using var database = await TestDatabase.CreateAsync();
        // One second stands in for the default 30: the FETCH below takes two.
        var connectionString = new NpgsqlConnectionStringBuilder(database.Settings.ConnectionString) { CommandTimeout = 1 }.ConnectionString;
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var cursor = new PgCursor<int>(connection, transaction, "SELECT 1 FROM pg_sleep(2)", r => r.GetInt32(0), 100);

        var rows = new List<int>();
        await foreach (var row in cursor.ReadAsync(CancellationToken.None))
        {
            rows.Add(row);
        }

        Assert.That(rows, Is.EqualTo(new[] { 1 }));
    }

    [Test]
    public async Task Under_a_statement_timeout_shorter_than_the_pass_the_scan_still_completes()
    {
        // Given 20,000 declarations of 2 KB: 40 MB, more than the sockets' buffers hold, so a query streaming them
        // would still be running while the pass waits.
        await using var database = await TestDatabase.CreateMigratedAsync();
        await database.ExecuteAsync("""
            INSERT INTO plugin_declarations (id, created_at, updated_at, plugin_unique_identifier, plugin_id, declaration)
            SELECT gen_random_uuid(), now(), now(), 'langgenius/p' || n || ':0.0.1@' || repeat('a', 64), 'langgenius/p' || n, repeat('x', 2048)
            FROM generate_series(1, 20000) n
            """);
        // And two installed markers that sort before every declaration, the second listed 2 s after the first, so the
        // pass waits on the listing with almost every declaration unread.
        using var folder = new TempDirectory();
        foreach (var name in new[] { "a/first", "a/second" })
        {
            var path = folder.Path(StorageLayout.Default.InstalledKey($"{name}:0.0.1@{new string('b', 64)}"));
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllBytesAsync(path, "x"u8.ToArray());
        }

        // When the scan runs on connections whose statement_timeout (1 s) is shorter than the pass.
        var connectionString = new NpgsqlConnectionStringBuilder(database.Settings.ConnectionString) { Options = "-c statement_timeout=1000" }.ConnectionString;
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var store = new PausingListing(new LocalObjectStore(folder.Root), TimeSpan.FromSeconds(2));
        var report = await IntegrityScanner.ScanAsync(
            new DeploymentReader(dataSource, store, StorageLayout.Default),
            new ScanOptions { Grace = TimeSpan.Zero, Rules = new HashSet<string>(["duplicate-plugin-row"]) },
            null,
            CancellationToken.None);

        // Then it completes: no statement of it outlived the timeout.
        Assert.That(report.Status, Is.EqualTo(ScanStatus.Consistent), report.IncompleteReason);
        Assert.That(store.Paused, Is.True, "the listing paused mid-pass");
    }

    // A store whose listings pause after their first object.
    private sealed class PausingListing(IObjectReader inner, TimeSpan pause) : IObjectReader
    {
        public bool Paused { get; private set; }

        public string Description => inner.Description;

        public async IAsyncEnumerable<StoredObject> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            var first = true;
            await foreach (var entry in inner.ListAsync(prefix, cancellationToken))
            {
                if (!first)
                {
                    Paused = true;
                    await Task.Delay(pause, cancellationToken);
                }

                first = false;
                yield return entry;
            }
        }

        public Task<StoredObject?> HeadAsync(string key, CancellationToken cancellationToken) => inner.HeadAsync(key, cancellationToken);

        public Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken) => inner.OpenReadAsync(key, cancellationToken);
    }
}
