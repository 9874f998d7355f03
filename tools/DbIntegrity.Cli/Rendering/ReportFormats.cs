using DbIntegrity.Cli.Infrastructure;
using DbIntegrity.Core.Gate;
using DbIntegrity.Core.Reporting;

namespace DbIntegrity.Cli.Rendering;

/// <summary>Every report format, in one place: <c>--format</c> is validated against this list and resolved here.</summary>
internal static class ReportFormats
{
    public const string Default = "table";

    public static IReadOnlyList<IReportFormat> All { get; } = [new TableFormat(), new JsonFormat(), new JunitFormat(), new MarkdownFormat(), new PrometheusFormat()];

    /// <summary>The formats of a gate report (the gate is a one-shot decision: no metrics).</summary>
    public static IReadOnlyList<IGateReportFormat> Gate { get; } = [.. All.OfType<IGateReportFormat>()];

    /// <summary>"table, json, junit, markdown or prometheus".</summary>
    public static string Names => NamesOf(All);

    /// <summary>"table, json, junit or markdown" for the given formats.</summary>
    public static string NamesOf<TFormat>(IReadOnlyList<TFormat> formats)
        where TFormat : IReportFormat =>
        string.Join(", ", formats.Take(formats.Count - 1).Select(f => f.Name)) + " or " + formats[^1].Name;

    public static IReportFormat? Find(string? name) => Find(All, name);

    /// <summary>The format of that name among <paramref name="formats"/>, or null.</summary>
    public static TFormat? Find<TFormat>(IReadOnlyList<TFormat> formats, string? name)
        where TFormat : class, IReportFormat =>
        formats.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase));

    public static IReportFormat Get(string? name) =>
        Find(name ?? Default) ?? throw new Core.ConfigurationException($"--format {name} is not a report format: use {Names}.");

    private sealed class TableFormat : IGateReportFormat
    {
        public string Name => Default;

        public string Render(ScanReport report, RenderTarget target) => ConsoleCapture.Render(target.Console, c => ReportTable.Render(c, report, target.Verbose));

        public string Render(GateReport report, RenderTarget target) => ConsoleCapture.Render(target.Console, c => GateView.Render(c, report, target.Verbose));
    }

    private sealed class JsonFormat : IStreamedReportFormat, IStreamedGateReportFormat
    {
        public string Name => "json";

        public string Render(ScanReport report, RenderTarget target) => JsonReportWriter.Write(report);

        public string Render(GateReport report, RenderTarget target) => GateJsonWriter.Write(report);

        public Task WriteAsync(ScanReport report, Stream output, Func<string, string> present, CancellationToken cancellationToken) =>
            JsonReportWriter.WriteAsync(report, output, present, cancellationToken);

        public Task WriteAsync(GateReport report, Stream output, Func<string, string> present, CancellationToken cancellationToken) =>
            GateJsonWriter.WriteAsync(report, output, present, cancellationToken);
    }

    private sealed class JunitFormat : IGateReportFormat
    {
        public string Name => "junit";

        public string Render(ScanReport report, RenderTarget target) => JunitReportWriter.Write(report, "dbintegrity check");

        public string Render(GateReport report, RenderTarget target) => GateJunitWriter.Write(report);
    }

    private sealed class MarkdownFormat : IGateReportFormat
    {
        public string Name => "markdown";

        public string Render(ScanReport report, RenderTarget target) => MarkdownReportWriter.Write(report);

        public string Render(GateReport report, RenderTarget target) => GateMarkdownWriter.Write(report);
    }
}
