using System.Diagnostics;
using System.Globalization;
using DbIntegrity.Core.Scanning;

namespace DbIntegrity.Benchmarks;

/// <summary>
/// A Stopwatch breakdown of one scan by the phases it reports (the profile that says where the time goes), with what the
/// process allocated in each (all threads: the scan is the only work in the benchmark's process).
/// </summary>
internal sealed class PhaseTimer : IProgress<ScanProgress>
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<(string Phase, TimeSpan Started, long Allocated, TimeSpan Paused)> _phases = [];

    public void Report(ScanProgress value)
    {
        lock (_phases)
        {
            if (_phases.Count == 0 || _phases[^1].Phase != value.Phase)
            {
                _phases.Add((value.Phase, _clock.Elapsed, GC.GetTotalAllocatedBytes(), GC.GetTotalPauseDuration()));
            }
        }
    }

    /// <summary>Each phase with its seconds, longest first, ending at <paramref name="end"/>.</summary>
    public string Summary(TimeSpan end) =>
        string.Join("; ", _phases.Select((p, i) => (p.Phase, Seconds: ((i + 1 < _phases.Count ? _phases[i + 1].Started : end) - p.Started).TotalSeconds))
            .GroupBy(p => p.Phase.Replace("checking the tables: ", string.Empty, StringComparison.Ordinal))
            .Select(g => (Phase: g.Key, Seconds: g.Sum(p => p.Seconds)))
            .OrderByDescending(p => p.Seconds)
            .Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Phase} {p.Seconds:0.00}s")));

    /// <summary>Each phase in order with its seconds, the MiB allocated in it and its GC pauses, ending now.</summary>
    public string Allocations()
    {
        var (end, allocated, paused) = (_clock.Elapsed, GC.GetTotalAllocatedBytes(), GC.GetTotalPauseDuration());
        return string.Join("; ", _phases.Select((p, i) => (p.Phase,
                Seconds: ((i + 1 < _phases.Count ? _phases[i + 1].Started : end) - p.Started).TotalSeconds,
                MiB: ((i + 1 < _phases.Count ? _phases[i + 1].Allocated : allocated) - p.Allocated) >> 20,
                Paused: ((i + 1 < _phases.Count ? _phases[i + 1].Paused : paused) - p.Paused).TotalSeconds))
            .Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Phase} {p.Seconds:0.00}s {p.MiB} MiB (GC pauses {p.Paused:0.00}s)")));
    }

    public TimeSpan Elapsed => _clock.Elapsed;
}
