using System.Diagnostics;
using System.Globalization;
using Amazon.S3.Model;
using DbIntegrity.Benchmarks;
using DbIntegrity.Core.Configuration;
using DbIntegrity.Core.Deployments;
using DbIntegrity.Core.Migrating;
using DbIntegrity.Core.Reporting;
using DbIntegrity.Core.Scanning;
using DbIntegrity.Core.Storage;

// Usage: dotnet run -c Release --project tools/DbIntegrity.Benchmarks -- [--mode engine|s3] [--sizes 10000,40000,100000] [--tenants 20] [--runs 3] [--rules id,id] [--keep]
//   engine: rows in PostgreSQL, the bucket listing synthesized on the fly: the scan engine's own time and memory.
//   s3:     rows in PostgreSQL and real objects in the S3 endpoint: end to end (bounded by the endpoint's listing speed).
// Needs the daemon variables of a PostgreSQL and an S3 endpoint: eval "$(tools/local-services.sh env)".
// Each size gets its own database and bucket, dropped afterwards (kept with --keep, for profiling).
var mode = Option("--mode", "engine");
var sizes = Option("--sizes", mode == "engine" ? "10000,40000,100000" : "2000,8000").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
var tenants = int.Parse(Option("--tenants", "20"), CultureInfo.InvariantCulture);
var runs = int.Parse(Option("--runs", "3"), CultureInfo.InvariantCulture);
var keep = Environment.GetCommandLineArgs().Contains("--keep");
var rules = Option("--rules", string.Empty) is { Length: > 0 } list ? list.Split(',').ToHashSet(StringComparer.Ordinal) : null;
var environment = SettingsSource.FromEnvironment();
var server = DatabaseSettings.FromDaemonVariables(environment);

Console.WriteLine($"# dbintegrity scan benchmark ({mode} mode), {DateTimeOffset.UtcNow:yyyy-MM-dd}, {Environment.ProcessorCount} cores, .NET {Environment.Version}");
Console.WriteLine();
Console.WriteLine("| identifiers | table rows | objects listed | load (s) | scan, median (s) | rows+objects / s | peak live heap (MiB) | peak managed heap (MiB) | peak working set (MiB) | allocated / scan (MiB) |");
Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
foreach (var size in sizes)
{
    var name = $"dbi_bench_{size}_{Guid.NewGuid():N}"[..30];
    var admin = server.WithDatabase("postgres");
    await Execute(admin, $"CREATE DATABASE \"{name}\"");
    var settings = server.WithDatabase(name);
    var storage = StorageSettings.FromDaemonVariables(environment.With(new Dictionary<string, string?> { ["PLUGIN_STORAGE_OSS_BUCKET"] = name.Replace('_', '-') }));
    using var client = S3ClientFactory.Create(storage);
    await client.PutBucketAsync(new PutBucketRequest { BucketName = storage.RequireS3().Bucket });
    using var store = ObjectStoreFactory.Open(storage);
    try
    {
        await using (var migrations = await MigrationService.CreateAsync(settings, CancellationToken.None))
        {
            await migrations.UpAsync("latest", CancellationToken.None);
        }

        await using var dataSource = settings.CreateDataSource("dbintegrity-benchmark");
        var load = Stopwatch.StartNew();
        var rows = await SyntheticDeployment.LoadAsync(dataSource, mode == "s3" ? store : null, size, tenants, CancellationToken.None);
        IObjectReader bucket = mode == "s3" ? store : new SyntheticListing(size, [.. SyntheticDeployment.Template.Assets.Keys]);
        load.Stop();

        var results = new List<(ScanReport Report, long PeakManaged, long PeakWorkingSet, long PeakAfterGc, long Allocated)>();
        for (var run = 0; run < runs; run++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            var sampler = new MemorySampler();
            var report = await IntegrityScanner.ScanAsync(new DeploymentReader(dataSource, bucket, storage.Layout), new ScanOptions { Grace = TimeSpan.Zero, Rules = rules }, null, CancellationToken.None);
            await sampler.DisposeAsync();
            var (peakManaged, peakWorkingSet, peakAfterGc) = (sampler.PeakManagedBytes, sampler.PeakWorkingSetBytes, sampler.PeakHeapAfterGcBytes);

            if (report.Status != ScanStatus.Consistent)
            {
                throw new InvalidOperationException($"The synthetic deployment must be consistent, got {report.Status}: {report.IncompleteReason} {string.Join(", ", report.CountsByRule.Select(kv => $"{kv.Key}={kv.Value}"))}");
            }

            results.Add((report, peakManaged, peakWorkingSet, peakAfterGc, GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore));
        }

        // One more run, not timed: full collections every 200 ms show what the scan keeps alive.
        var probe = new MemorySampler(forceFullGc: true);
        await IntegrityScanner.ScanAsync(new DeploymentReader(dataSource, bucket, storage.Layout), new ScanOptions { Grace = TimeSpan.Zero, Rules = rules }, null, CancellationToken.None);
        await probe.DisposeAsync();

        var median = results.OrderBy(r => r.Report.Duration).ElementAt(results.Count / 2);
        var objects = median.Report.Scanned.Where(kv => kv.Key.EndsWith('/')).Sum(kv => kv.Value);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {size:N0} | {rows:N0} | {objects:N0} | {load.Elapsed.TotalSeconds:0.0} | {median.Report.Duration.TotalSeconds:0.00} | {(rows + objects) / median.Report.Duration.TotalSeconds:N0} | {probe.PeakLiveBytes / 1048576.0:0.0} | {results.Max(r => r.PeakManaged) / 1048576.0:0.0} | {results.Max(r => r.PeakWorkingSet) / 1048576.0:0.0} | {median.Allocated / 1048576.0:0.0} |"));
    }
    finally
    {
        if (keep)
        {
            Console.WriteLine($"kept: DB_DATABASE={name} PLUGIN_STORAGE_OSS_BUCKET={storage.RequireS3().Bucket}");
        }
        else
        {
            await DropAsync(store, client, storage.RequireS3().Bucket, admin, name);
        }
    }
}

static async Task DropAsync(IObjectStore store, Amazon.S3.IAmazonS3 client, string bucket, DatabaseSettings admin, string name)
{
    var keys = new List<string>();
    await foreach (var entry in store.ListAsync(string.Empty, CancellationToken.None))
    {
        keys.Add(entry.Key);
    }

    await Parallel.ForEachAsync(keys, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (key, ct) => await store.DeleteAsync(key, ct));
    await client.DeleteBucketAsync(bucket);
    Npgsql.NpgsqlConnection.ClearAllPools();
    await Execute(admin, $"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
}

static string Option(string name, string fallback)
{
    var args = Environment.GetCommandLineArgs();
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback;
}

static async Task Execute(DatabaseSettings settings, string sql)
{
    await using var dataSource = settings.CreateDataSource("dbintegrity-benchmark");
    await using var command = dataSource.CreateCommand(sql);
    await command.ExecuteNonQueryAsync();
}
