using System.Threading.Channels;
using DbIntegrity.Core.Packages;
using DbIntegrity.Core.Plugins;
using DbIntegrity.Core.Rules;
using DbIntegrity.Core.Storage;
using DbIntegrity.Core.Wording;

namespace DbIntegrity.Core.Scanning;

/// <summary>
/// Downloads the packages rows refer to with bounded parallelism (--deep), fed by the identifier pass through a
/// bounded channel so memory stays flat: at most a few packages are in flight, large ones go through a temp file.
/// A worker's failure stops the scan (incomplete), it never leaves a package silently unchecked.
/// </summary>
internal sealed class DeepInspector : IAsyncDisposable
{
    private const long InMemoryLimit = 16 * 1024 * 1024;

    private readonly ScanSession _session;
    private readonly IReadOnlyList<(IPackageRule Rule, RuleContext Context)> _rules;
    private readonly Channel<IdentifierGroup> _queue;
    private readonly CancellationTokenSource _stop;
    private readonly Task[] _workers;
    private Exception? _failure;
    private long _inspected;

    public DeepInspector(ScanSession session, IReadOnlyList<IPackageRule> rules, CancellationToken cancellationToken)
    {
        _session = session;
        _rules = [.. rules.Select(r => (r, session.ContextFor(r)))];
        var parallelism = Math.Max(1, session.Options.DeepParallelism);
        _queue = Channel.CreateBounded<IdentifierGroup>(new BoundedChannelOptions(parallelism * 2) { SingleWriter = true });
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _workers = [.. Enumerable.Range(0, parallelism).Select(_ => Task.Run(() => WorkAsync(_stop.Token), CancellationToken.None))];
    }

    /// <summary>Queues a group's package when rows refer to it; waits while the workers are busy.</summary>
    public async Task EnqueueAsync(IdentifierGroup group)
    {
        if (group.Parsed is null || group.PackageObject is null || (group.Plugins.Count == 0 && group.Declarations.Count == 0))
        {
            return;
        }

        try
        {
            await _queue.Writer.WriteAsync(group, _stop.Token);
        }
        catch (OperationCanceledException) when (_failure is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(_failure);
        }
    }

    /// <summary>Waits for every queued package; rethrows the first worker failure.</summary>
    public Task CompleteAsync()
    {
        _queue.Writer.TryComplete();
        return JoinAsync(_workers, () => _failure);
    }

    /// <summary>
    /// Waits for the workers and rethrows the recorded failure ahead of anything else: a failing worker cancels the
    /// others, so Task.WhenAll alone would throw their TaskCanceledException, which no caller maps to "incomplete".
    /// </summary>
    internal static async Task JoinAsync(IReadOnlyCollection<Task> workers, Func<Exception?> failure)
    {
        try
        {
            await Task.WhenAll(workers);
        }
        catch (OperationCanceledException) when (failure() is not null)
        {
            // Reported below as the failure that caused it.
        }

        if (failure() is { } recorded)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(recorded);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _stop.CancelAsync();
        try
        {
            await Task.WhenAll(_workers);
        }
        catch (OperationCanceledException)
        {
            // Workers stop on cancellation; the scan already reports why.
        }

        _stop.Dispose();
    }

    private async Task WorkAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var group in _queue.Reader.ReadAllAsync(cancellationToken))
            {
                var inspection = await InspectAsync(group, cancellationToken);
                if (inspection is not null)
                {
                    foreach (var (rule, context) in _rules)
                    {
                        rule.Evaluate(inspection, context);
                    }
                }

                var done = Interlocked.Increment(ref _inspected);
                _session.Progress?.Report(new ScanProgress($"downloading packages ({HostWords.Of(UserOption.Deep)})", done));
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Interlocked.CompareExchange(ref _failure, ex, null);
            await _stop.CancelAsync();
        }
    }

    private async Task<PackageInspection?> InspectAsync(IdentifierGroup group, CancellationToken cancellationToken)
    {
        var package = group.PackageObject!;
        await using var source = await _session.Storage.OpenReadAsync(package.Key, cancellationToken);
        if (source is null)
        {
            // Deleted since the listing; whether that breaks anything is for the package-missing rules on the next scan.
            return null;
        }

        await using var copy = package.Size > InMemoryLimit
            ? new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose | FileOptions.Asynchronous)
            : (Stream)new MemoryStream();
        try
        {
            await source.CopyToAsync(copy, cancellationToken);
        }
        catch (Exception ex) when (S3ObjectStore.IsStorageFailure(ex, cancellationToken))
        {
            // The GET succeeded but the body did not arrive (a reset, a read timeout): the storage failed, as S3ObjectStore
            // reports a failed request, so the scan ends incomplete instead of leaving this package unchecked.
            throw new UnavailableException("storage",
                $"S3 request failed, reading {package.Key} from {_session.Storage.Description} ({package.Size} bytes): {ex.Message}", ex);
        }

        _session.Statistics.Count($"package bytes downloaded ({HostWords.Of(UserOption.Deep)})", copy.Length);

        string? checksum = null;
        string? archiveError = null;
        ManifestReadResult? manifest = null;
        try
        {
            copy.Position = 0;
            checksum = await PackageChecksum.ComputeAsync(copy, cancellationToken);
            copy.Position = 0;
            manifest = await PackageManifestReader.ReadAsync(copy, cancellationToken);
        }
        catch (InvalidDataException ex)
        {
            archiveError = ex.Message;
        }

        return new PackageInspection
        {
            Identifier = group.Parsed!,
            Object = package,
            ComputedChecksum = checksum,
            ArchiveError = archiveError,
            Manifest = manifest,
            Plugins = group.Plugins,
            Declarations = group.Declarations,
        };
    }
}
