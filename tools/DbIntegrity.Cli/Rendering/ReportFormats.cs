using DbIntegrity.Cli.Infrastructure;
using DbIntegrity.Core.Gate;
using DbIntegrity.Core.Reporting;

namespace DbIntegrity.Cli.Rendering;

/// <summary>Every report format, in one place: <c>--format</c> is validated against this list and resolved here.</summary>
internal static class ReportFormats
{
    public const string Default = "table";

    public static IReadOnlyList<IReportFormat> All { get; } = [new TableFormat(), new JsonFormat(), new JunitFormat(), new MarkdownFormat(), new PrometheusFormat()];

    /// <summary>"table, json, junit or markdown".</summary>
    public static string Names => string.Join(", ", All.Take(All.Count - 1).Select(f => f.Name)) + " or " + All[^1].Name;

    public static IReportFormat? Find(string? name) => All.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase));

    public static IReportFormat Get(string? name) =>
        Find(name ?? Default) ?? throw new Core.ConfigurationException($"--format {name} is not a report format: use {Names}.");

    private sealed class TableFormat : IReportFormat
    {
        public string Name => Default;

        public string Render(ScanReport report, RenderTarget target) => ConsoleCapture.Render(target.Console, c => ReportTable.Render(c, report, target.Verbose));

        public string Render(GateReport report, RenderTarget target) => ConsoleCapture.Render(target.Console, c => GateView.Render(c, report, target.Verbose));
    }

    private sealed class JsonFormat : IReportFormat
    {
        public string Name => "json";

        public string Render(ScanReport report, RenderTarget target) => JsonReportWriter.Write(report);

        public string Render(GateReport report, RenderTarget target) => GateJsonWriter.Write(report);
    }

    private sealed class JunitFormat : IReportFormat
    {
        public string Name => "junit";

        public string Render(ScanReport report, RenderTarget target) => JunitReportWriter.Write(report);

        public string Render(GateReport report, RenderTarget target) => GateJunitWriter.Write(report);
    }

    private sealed class MarkdownFormat : IReportFormat
    {
        public string Name => "markdown";

        public string Render(ScanReport report, RenderTarget target) => MarkdownReportWriter.Write(report);

        public string Render(GateReport report, RenderTarget target) => GateMarkdownWriter.Write(report);
    }
}
