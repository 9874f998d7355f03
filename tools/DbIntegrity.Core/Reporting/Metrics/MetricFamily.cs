namespace DbIntegrity.Core.Reporting.Metrics;

/// <summary>A metric name with its help text, its label names (the contract) and the samples of one scan.</summary>
public sealed record MetricFamily(string Name, string Help, IReadOnlyList<string> LabelNames, IReadOnlyList<MetricSample> Samples);
