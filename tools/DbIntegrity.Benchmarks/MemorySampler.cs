using System.Diagnostics;

namespace DbIntegrity.Benchmarks;

/// <summary>Samples the managed heap and the working set while a scan runs, keeping the peaks.</summary>
internal sealed class MemorySampler : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    /// <param name="forceFullGc">Collect everything before each sample (every 200 ms): measures the live heap, slows the run.</param>
    public MemorySampler(bool forceFullGc = false)
    {
        _loop = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(forceFullGc ? 200 : 10));
            do
            {
                if (forceFullGc)
                {
                    PeakLiveBytes = Math.Max(PeakLiveBytes, GC.GetTotalMemory(forceFullCollection: true));
                }

                Sample();
            }
            while (await timer.WaitForNextTickAsync(_stop.Token).AsTask().ContinueWith(t => !t.IsCanceled && t.Result, TaskScheduler.Default));
        });
    }

    public long PeakManagedBytes { get; private set; }

    public long PeakWorkingSetBytes { get; private set; }

    /// <summary>The largest heap a garbage collection left behind (older garbage may still be in it).</summary>
    public long PeakHeapAfterGcBytes { get; private set; }

    /// <summary>With forced full collections: the most memory the scan really kept alive.</summary>
    public long PeakLiveBytes { get; private set; }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        Sample();
        _stop.Dispose();
    }

    private void Sample()
    {
        PeakManagedBytes = Math.Max(PeakManagedBytes, GC.GetTotalMemory(false));
        var lastGc = GC.GetGCMemoryInfo(GCKind.Any);
        if (lastGc.Index > 0)
        {
            PeakHeapAfterGcBytes = Math.Max(PeakHeapAfterGcBytes, lastGc.HeapSizeBytes - lastGc.FragmentedBytes);
        }
        using var process = Process.GetCurrentProcess();
        PeakWorkingSetBytes = Math.Max(PeakWorkingSetBytes, process.WorkingSet64);
    }
}
