using System.Collections.Concurrent;

namespace DbIntegrity.Core.Scanning;

/// <summary>Rows read per table and objects listed per prefix, for the report.</summary>
internal sealed class ScanStatistics
{
    private readonly ConcurrentDictionary<string, long> _counts = new(StringComparer.Ordinal);

    public void Count(string what, long n = 1) => _counts.AddOrUpdate(what, n, (_, c) => c + n);

    public IReadOnlyDictionary<string, long> Snapshot() => new SortedDictionary<string, long>(_counts, StringComparer.Ordinal);
}
