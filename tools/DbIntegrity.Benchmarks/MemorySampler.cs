using System.Diagnostics;

namespace DbIntegrity.Benchmarks;

/// <summary>Samples the managed heap and the working set while a scan runs, keeping the peaks.</summary>
internal sealed class MemorySampler : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public MemorySampler()
    {
        _loop = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(10));
            do
            {
                Sample();
            }
            while (await timer.WaitForNextTickAsync(_stop.Token).AsTask().ContinueWith(t => !t.IsCanceled && t.Result, TaskScheduler.Default));
        });
    }

    public long PeakManagedBytes { get; private set; }

    public long PeakWorkingSetBytes { get; private set; }

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
        using var process = Process.GetCurrentProcess();
        PeakWorkingSetBytes = Math.Max(PeakWorkingSetBytes, process.WorkingSet64);
    }
}
