using DbIntegrity.Core.Gate;
using DbIntegrity.Core.Reporting;

namespace DbIntegrity.Cli.Rendering;

/// <summary>
/// A format written as it is produced (JSON, which lists every finding): the findings are read one at a time and every
/// string is presented (<see cref="Infrastructure.CliContext.Present"/>) on its way out, so a report of 10⁵ findings is
/// never one string in memory. <see cref="IReportFormat.Render(ScanReport, RenderTarget)"/> stays for small reports.
/// </summary>
internal interface IStreamedReportFormat : IReportFormat
{
    Task WriteAsync(ScanReport report, Stream output, Func<string, string> present, CancellationToken cancellationToken);
}

/// <summary>A streamed format of the gate's report too.</summary>
internal interface IStreamedGateReportFormat : IGateReportFormat
{
    Task WriteAsync(GateReport report, Stream output, Func<string, string> present, CancellationToken cancellationToken);
}
