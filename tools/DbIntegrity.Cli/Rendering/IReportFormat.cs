using DbIntegrity.Core.Gate;
using DbIntegrity.Core.Reporting;

namespace DbIntegrity.Cli.Rendering;

/// <summary>
/// One report format (<c>--format NAME</c>) of <c>check</c>'s scan report. Add a format by implementing this (and
/// <see cref="IGateReportFormat"/> when the gate can write it too) and listing it in <see cref="ReportFormats"/>.
/// The result is plain text; the caller redacts it and writes it to stdout or the <c>--output</c> file.
/// </summary>
internal interface IReportFormat
{
    /// <summary>The <c>--format</c> value, lower case.</summary>
    string Name { get; }

    string Render(ScanReport report, RenderTarget target);
}

/// <summary>A format that also writes the gate's report (<c>gate</c>, <c>migrate up --gate</c>).</summary>
internal interface IGateReportFormat : IReportFormat
{
    string Render(GateReport report, RenderTarget target);
}
