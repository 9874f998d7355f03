namespace DbIntegrity.Core.Reporting.Metrics;

/// <summary>One value of one metric: <c>name{labels} value</c>. All of DbIntegrity's check metrics are gauges.</summary>
public sealed record MetricSample(string Name, IReadOnlyList<KeyValuePair<string, string>> Labels, double Value)
{
    public MetricSample(string name, double value)
        : this(name, [], value)
    {
    }
}
