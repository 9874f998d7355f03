using DbIntegrity.Core.Reporting;
using DbIntegrity.Core.Reporting.Metrics;

namespace DbIntegrity.Cli.Rendering;

/// <summary>
/// <c>--format prometheus</c>: the check's metrics as OpenMetrics text (the textfile collector, a Pushgateway). The gate
/// has no metrics: it is a one-shot decision, not a state to watch.
/// </summary>
internal sealed class PrometheusFormat : IReportFormat
{
    public string Name => "prometheus";

    public string Render(ScanReport report, RenderTarget target) => PrometheusReportWriter.Write(report, target.LastComplete);
}
