using System.Diagnostics;
using System.Globalization;
using Amazon.S3.Model;
using DbIntegrity.Benchmarks;
using DbIntegrity.Core;
using DbIntegrity.Core.Configuration;
using DbIntegrity.Core.Deployments;
using DbIntegrity.Core.Migrating;
using DbIntegrity.Core.Reporting;
using DbIntegrity.Core.Scanning;
using DbIntegrity.Core.Storage;
using DbIntegrity.Core.Wording;

// Usage: dotnet run -c Release --project tools/DbIntegrity.Benchmarks -- [--mode engine|s3|local] [--sizes 10000,100000] [--tenants 20] [--runs 3] [--rules id,id] [--candidate-buffer N] [--keep] [--profile <kept database> [--wiped] [--allocations] [--floor] [--live]]
//   engine: rows in PostgreSQL, the bucket listing synthesized on the fly: the scan engine's own time and memory.
//   s3:     rows in PostgreSQL and real objects in the S3 endpoint: end to end (bounded by the endpoint's listing speed).
//   local:  rows in PostgreSQL and real files in a temporary folder shaped like Dify's storage volume
//           (PLUGIN_STORAGE_TYPE=local, opened through ObjectStoreFactory like the CLI does).
// Per size, in one run: the consistent scan, the floor (COPY of the columns the scan reads + the three listings) right
// after each timed scan, a per-row HEAD checker, and the scan after plugin_packages/ is wiped (see docs/benchmarks.md).
// Needs the daemon variables of a PostgreSQL and an S3 endpoint: eval "$(tools/local-services.sh env)".
// Each size gets its own database and bucket, dropped afterwards (kept with --keep, for profiling).
var mode = Option("--mode", "engine");
var sizes = Option("--sizes", mode == "engine" ? "10000,100000" : "2000,10000").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
var tenants = int.Parse(Option("--tenants", "20"), CultureInfo.InvariantCulture);
var runs = int.Parse(Option("--runs", "3"), CultureInfo.InvariantCulture);
var keep = Environment.GetCommandLineArgs().Contains("--keep");
var rules = Option("--rules", string.Empty) is { Length: > 0 } list ? list.Split(',').ToHashSet(StringComparer.Ordinal) : null;
var environment = SettingsSource.FromEnvironment();
DatabaseSettings server;
try
{
    server = DatabaseSettings.FromDaemonVariables(environment);
}
catch (ConfigurationException ex)
{
    // The benchmark takes no connection option (the CLI's --db): the daemon variables are its only way in.
    Console.Error.WriteLine(HostWords.Fill(ex.Message, step => step.ToString(), option => option == UserOption.DatabaseConnection ? "the CLI --db" : option.ToString()));
    Console.Error.WriteLine("The benchmark reads the daemon variables only; for the local services: eval \"$(tools/local-services.sh env)\"");
    Environment.ExitCode = 2;
    return;
}

var options = new ScanOptions { Grace = TimeSpan.Zero, Rules = rules };
if (Option("--candidate-buffer", string.Empty) is { Length: > 0 } buffer)
{
    options = options with { CandidateBuffer = int.Parse(buffer, CultureInfo.InvariantCulture) };
}

// --profile <database> --sizes N [--wiped]: scans a database kept with --keep (engine mode's synthesized listing of N
// identifiers, without plugin_packages/ with --wiped) --runs times and prints each time, nothing else: a loop to attach dotnet-trace or dotnet-counters to.
// With --floor, each scan is followed by the floor on the same database, so the two are read in the same minutes.
// With --live, each scan is sampled as the benchmark samples its live heap (a full collection every 200 ms) and prints the peak;
// its GC pauses and collections then include those forced ones, so compare them only with other --live runs.
if (Option("--profile", string.Empty) is { Length: > 0 } kept)
{
    await using var keptSource = server.WithDatabase(kept).CreateDataSource("dbintegrity-benchmark");
    var keptListing = new SyntheticListing(sizes[0], [.. SyntheticDeployment.Template.Assets.Keys], packagesWiped: Environment.GetCommandLineArgs().Contains("--wiped"));
    var keptLayout = StorageSettings.FromDaemonVariables(environment).Layout;
    using var sampler = Environment.GetCommandLineArgs().Contains("--allocations") ? new AllocationSampler() : null;
    var floorToo = Environment.GetCommandLineArgs().Contains("--floor");
    var liveToo = Environment.GetCommandLineArgs().Contains("--live");
    for (var run = 0; run < runs; run++)
    {
        // This process's CPU time, what it allocated and its GC pauses per scan: on two cores a scan is bound by the CPU
        // this process and PostgreSQL's backends use between them, so these say where a change saves.
        var cpu = Environment.CpuUsage.TotalTime;
        var allocated = GC.GetTotalAllocatedBytes();
        var paused = GC.GetTotalPauseDuration();
        int[] collections = [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];
        var phases = new PhaseTimer();
        var live = liveToo ? new MemorySampler(forceFullGc: true) : null;
        var report = await IntegrityScanner.ScanAsync(new DeploymentReader(keptSource, keptListing, keptLayout), options, phases, CancellationToken.None);
        if (live is not null)
        {
            await live.DisposeAsync();
            Console.WriteLine($"  live heap (a full collection every 200 ms, which slows the run): peak {Mib(live.PeakLiveBytes)} MiB");
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"run {run + 1}: {report.Status} in {report.Duration.TotalSeconds:0.000} s; this process: CPU {(Environment.CpuUsage.TotalTime - cpu).TotalSeconds:0.00} s, allocated {(GC.GetTotalAllocatedBytes() - allocated) / (1 << 20)} MiB, GC pauses {(GC.GetTotalPauseDuration() - paused).TotalSeconds:0.00} s"));
        Console.WriteLine($"  {phases.Allocations()}");
        // How many collections reached each generation (a gen1 collection counts in gen0's too): what a pause costs
        // depends on what survives it, so fewer objects held across a page show here first.
        Console.WriteLine($"  collections gen0/gen1/gen2: {string.Join('/', collections.Select((before, gen) => GC.CollectionCount(gen) - before))}");
        if (sampler is not null)
        {
            Console.WriteLine($"  allocated most: {sampler.TakeTop(12)}");
        }

        if (floorToo)
        {
            var clock = Stopwatch.StartNew();
            await Floor.RunAsync(keptSource, keptListing, keptLayout, CancellationToken.None);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  floor: {clock.Elapsed.TotalSeconds:0.000} s, scan / floor {report.Duration / clock.Elapsed:0.00}"));
        }
    }

    return;
}


Console.WriteLine($"# dbintegrity scan benchmark ({mode} mode), {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, .NET {Environment.Version}, {runs} runs (medians, after at least {ScanMeasurement.WarmUpRuns} untimed warm-up scans and {ScanMeasurement.WarmUpTime.TotalSeconds:0} s of them each)");
Console.WriteLine();
Console.WriteLine("| identifiers | table rows | objects | load (s) | scan (s) | floor (s) | scan / floor | per-row HEAD (s) | per-row / scan | wiped scan (s) | wiped / consistent | wiped findings | peak RSS consistent / wiped (MiB) | RSS wiped / consistent | live heap consistent / wiped (MiB) |");
Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
var phaseLines = new List<string>();
var pairLines = new List<string>();
var wipedPairLines = new List<string>();
foreach (var size in sizes)
{
    var name = $"dbi_bench_{size}_{Guid.NewGuid():N}"[..30];
    var admin = server.WithDatabase("postgres");
    await Execute(admin, $"CREATE DATABASE \"{name}\"");
    var settings = server.WithDatabase(name);
    var localRoot = Path.Combine(Path.GetTempPath(), name);
    var storage = StorageSettings.FromDaemonVariables(environment.With(mode == "local"
        ? new Dictionary<string, string?> { ["PLUGIN_STORAGE_TYPE"] = "local", ["PLUGIN_STORAGE_LOCAL_ROOT"] = localRoot }
        : new Dictionary<string, string?> { ["PLUGIN_STORAGE_TYPE"] = "s3", ["PLUGIN_STORAGE_OSS_BUCKET"] = name.Replace('_', '-') }));
    using var client = mode == "local" ? null : S3ClientFactory.Create(storage);
    if (client is not null)
    {
        await client.PutBucketAsync(new PutBucketRequest { BucketName = storage.RequireS3().Bucket });
    }
    else
    {
        Directory.CreateDirectory(localRoot);
    }

    using var store = ObjectStoreFactory.Open(storage);
    var realStore = mode is "s3" or "local";
    try
    {
        await using (var migrations = await MigrationService.CreateAsync(settings, CancellationToken.None))
        {
            await migrations.UpAsync("latest", CancellationToken.None);
        }

        await using var dataSource = settings.CreateDataSource("dbintegrity-benchmark");
        var load = Stopwatch.StartNew();
        var rows = await SyntheticDeployment.LoadAsync(dataSource, realStore ? store : null, size, tenants, CancellationToken.None);
        string[] assets = [.. SyntheticDeployment.Template.Assets.Keys];
        IObjectReader bucket = realStore ? store : new SyntheticListing(size, assets);
        load.Stop();

        // Each timed scan is followed by a floor: the ratio is the median of the pairs' (ScanMeasurement.PairedRatio).
        var consistent = await ScanMeasurement.RunAsync(
            dataSource, bucket, storage.Layout, options, runs, CancellationToken.None, ct => Floor.RunAsync(dataSource, bucket, storage.Layout, ct));
        consistent.Expect(ScanStatus.Consistent, expectedErrors: new Dictionary<string, int>());
        var floor = consistent.PairedMedian;
        pairLines.Add(string.Create(CultureInfo.InvariantCulture,
            $"- {size:N0}: {string.Join(", ", consistent.Times.Zip(consistent.Paired, (scan, paired) => $"{scan.TotalSeconds:0.00} / {paired.TotalSeconds:0.00} = {scan / paired:0.00}"))}"));
        var perRowClock = Stopwatch.StartNew();
        var (checkedRows, _) = await PerRowHeadChecker.RunAsync(dataSource, bucket, storage.Layout, options.RecheckParallelism, CancellationToken.None);
        var perRow = perRowClock.Elapsed;

        // One more scan of each state, untimed, split by phase: where the time goes. The consistent one before the wipe:
        // in s3 and local modes the wipe deletes from the same bucket.
        phaseLines.Add(await PhaseLineAsync(dataSource, bucket, storage.Layout, options, size, "consistent"));

        IObjectReader wipedBucket = realStore ? store : new SyntheticListing(size, assets, packagesWiped: true);
        if (realStore)
        {
            await DeleteAllAsync(store, StorageLayout.ListingPrefix(storage.Layout.PackagePath));
        }

        // In engine mode each timed wiped scan is followed by a consistent one (the listing is synthesized, so both states
        // are at hand) and the ratio is the median of the pairs', as with the floor: the machine's speed drifts within a
        // minute by more than the target's margin. With a real store the prefix is deleted, so it is the two medians'.
        Func<CancellationToken, Task>? consistentAfter = realStore ? null : async ct =>
        {
            var report = await IntegrityScanner.ScanAsync(new DeploymentReader(dataSource, bucket, storage.Layout), options, null, ct);
            if (report.Status != ScanStatus.Consistent)
            {
                throw new InvalidOperationException($"The consistent scan paired with a wiped one reported {report.Status} ({report.IncompleteReason}).");
            }
        };
        var wiped = await ScanMeasurement.RunAsync(dataSource, wipedBucket, storage.Layout, options, runs, CancellationToken.None, consistentAfter);
        var wipedRatio = realStore ? wiped.Median / consistent.Median : wiped.PairedRatio;
        if (!realStore)
        {
            wipedPairLines.Add(string.Create(CultureInfo.InvariantCulture,
                $"- {size:N0}: {string.Join(", ", wiped.Times.Zip(wiped.Paired, (scan, paired) => $"{scan.TotalSeconds:0.00} / {paired.TotalSeconds:0.00} = {scan / paired:0.00}"))}"));
        }
        if (rules is null)
        {
            wiped.Expect(ScanStatus.Inconsistent, new Dictionary<string, int>
            {
                ["plugin-package-missing"] = size,
                ["declaration-package-missing"] = size,
                ["installed-package-missing"] = size,
            });
        }

        // The same for the wiped bucket.
        phaseLines.Add(await PhaseLineAsync(dataSource, wipedBucket, storage.Layout, options, size, "wiped"));

        var objects = consistent.Report.Scanned.Where(kv => kv.Key.EndsWith('/')).Sum(kv => kv.Value);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {size:N0} | {rows:N0} | {objects:N0} | {load.Elapsed.TotalSeconds:0.0} | {consistent.Median.TotalSeconds:0.00} | {floor.TotalSeconds:0.00} | {consistent.PairedRatio:0.00} "
            + $"| {perRow.TotalSeconds:0.00} ({checkedRows:N0} HEADs) | {perRow / consistent.Median:0.0} | {wiped.Median.TotalSeconds:0.00} | {wipedRatio:0.00} | {wiped.Report.Findings.Count:N0} "
            + $"| {Mib(consistent.PeakWorkingSet)} / {Mib(wiped.PeakWorkingSet)} | {(double)wiped.PeakWorkingSet / consistent.PeakWorkingSet:0.00} | {Mib(consistent.PeakLive)} / {Mib(wiped.PeakLive)} |"));
    }
    finally
    {
        if (keep)
        {
            Console.WriteLine($"kept: DB_DATABASE={name} {(client is null ? $"PLUGIN_STORAGE_LOCAL_ROOT={localRoot}" : $"PLUGIN_STORAGE_OSS_BUCKET={storage.RequireS3().Bucket}")}");
        }
        else
        {
            if (client is not null)
            {
                await DeleteAllAsync(store, string.Empty);
                await client.DeleteBucketAsync(storage.RequireS3().Bucket);
            }
            else if (Directory.Exists(localRoot))
            {
                Directory.Delete(localRoot, recursive: true);
            }

            Npgsql.NpgsqlConnection.ClearAllPools();
            await Execute(admin, $"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
        }
    }
}

Console.WriteLine();
Console.WriteLine("Scan / floor, each timed scan and the floor right after it (seconds; the table's ratio is their median):");
pairLines.ForEach(Console.WriteLine);
if (wipedPairLines.Count > 0)
{
    Console.WriteLine();
    Console.WriteLine("Wiped / consistent, each timed wiped scan and a consistent scan right after it (seconds; the table's ratio is their median):");
    wipedPairLines.ForEach(Console.WriteLine);
}

Console.WriteLine();
Console.WriteLine("Phases (one extra scan each, seconds):");
phaseLines.ForEach(Console.WriteLine);

static async Task<string> PhaseLineAsync(Npgsql.NpgsqlDataSource dataSource, IObjectReader reader, StorageLayout layout, ScanOptions options, int size, string label)
{
    var phases = new PhaseTimer();
    await IntegrityScanner.ScanAsync(new DeploymentReader(dataSource, reader, layout), options, phases, CancellationToken.None);
    return $"- {size:N0} {label}: {phases.Summary(phases.Elapsed)}";
}

static string Mib(long bytes) => (bytes / 1048576.0).ToString("0", CultureInfo.InvariantCulture);

static async Task DeleteAllAsync(IObjectStore store, string prefix)
{
    var keys = new List<string>();
    await foreach (var entry in store.ListAsync(prefix, CancellationToken.None))
    {
        keys.Add(entry.Key);
    }

    await Parallel.ForEachAsync(keys, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (key, ct) => await store.DeleteAsync(key, ct));
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
