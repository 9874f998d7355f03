using System.Collections.Concurrent;
using System.Diagnostics.Tracing;
using System.Globalization;

namespace DbIntegrity.Benchmarks;

/// <summary>
/// What this process allocates, by type: the runtime's GCAllocationTick event (one per ~100 KB allocated, naming the
/// type of the allocation that crossed it) counted in-process, so <c>--profile … --allocations</c> says which types
/// make a scan's garbage without an external tracer.
/// </summary>
internal sealed class AllocationSampler : EventListener
{
    private const EventKeywords GcKeyword = (EventKeywords)0x1;
    private readonly ConcurrentDictionary<string, long> _bytesByType = new(StringComparer.Ordinal);

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(eventSource, EventLevel.Verbose, GcKeyword);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (eventData.EventName?.StartsWith("GCAllocationTick", StringComparison.Ordinal) != true || eventData.Payload is null)
        {
            return;
        }

        var type = eventData.PayloadNames?.IndexOf("TypeName") is { } t and >= 0 ? eventData.Payload[t] as string ?? "?" : "?";
        var amount = eventData.PayloadNames?.IndexOf("AllocationAmount64") is { } a and >= 0 ? Convert.ToInt64(eventData.Payload[a], CultureInfo.InvariantCulture) : 100_000;
        _bytesByType.AddOrUpdate(type, amount, (_, n) => n + amount);
    }

    /// <summary>The types with the most sampled bytes since the last call, then forgets them.</summary>
    public string TakeTop(int count)
    {
        var top = _bytesByType.OrderByDescending(p => p.Value).Take(count)
            .Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key} {p.Value >> 20} MiB")).ToList();
        _bytesByType.Clear();
        return string.Join("; ", top);
    }
}
