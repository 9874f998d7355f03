using DbIntegrity.Core.Gate;
using DbIntegrity.Core.Reporting;

namespace DbIntegrity.Cli.Rendering;

/// <summary>
/// One report format (<c>--format NAME</c>) for every command that prints a report: <c>check</c>, <c>gate</c> and
/// <c>migrate up --gate</c>. Add a format by implementing this and listing it in <see cref="ReportFormats"/>.
/// The result is plain text; the caller redacts it and writes it to stdout or the <c>--output</c> file.
/// </summary>
internal interface IReportFormat
{
    /// <summary>The <c>--format</c> value, lower case.</summary>
    string Name { get; }

    string Render(ScanReport report, RenderTarget target);

    string Render(GateReport report, RenderTarget target);
}
