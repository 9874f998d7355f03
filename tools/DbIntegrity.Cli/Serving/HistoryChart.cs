using System.Globalization;
using System.Net;
using System.Text;
using DbIntegrity.Core.History;
using DbIntegrity.Core.Reporting;

namespace DbIntegrity.Cli.Serving;

/// <summary>Findings over the last runs as inline SVG (no script, no external asset): one bar per run, errors over warnings; a grey bar for a scan that did not complete.</summary>
internal static class HistoryChart
{
    private const int Width = 720;
    private const int Height = 160;
    private const int Top = 16;
    private const int Bottom = 20;

    public static string Render(IReadOnlyList<RunPoint> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg id=\"history-chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" role=\"img\" aria-label=\"Findings over the last {runs.Count} runs\" data-runs=\"{runs.Count}\">");
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"0\" y1=\"{Height - Bottom}\" x2=\"{Width}\" y2=\"{Height - Bottom}\" stroke=\"#999\"/>");
        if (runs.Count == 0)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"8\" y=\"{Height / 2}\" fill=\"#666\">no runs yet</text></svg>");
            return svg.ToString();
        }

        var max = Math.Max(1, runs.Max(r => (r.Errors ?? 0) + (r.Warnings ?? 0)));
        var slot = (double)Width / Math.Max(runs.Count, 10);
        var barWidth = Math.Max(2, slot * 0.7);
        var plot = Height - Top - Bottom;
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"4\" y=\"12\" font-size=\"11\" fill=\"#666\">max {max}</text>");
        for (var i = 0; i < runs.Count; i++)
        {
            var run = runs[i];
            var x = (i * slot) + ((slot - barWidth) / 2);
            var status = run.Status.ToString().ToLowerInvariant();
            var title = WebUtility.HtmlEncode(run.Errors is null
                ? $"{run.FinishedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z: incomplete"
                : $"{run.FinishedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z: {status}, {run.Errors} error(s), {run.Warnings} warning(s)");
            svg.Append(CultureInfo.InvariantCulture, $"<g class=\"run\" data-status=\"{status}\" data-errors=\"{run.Errors?.ToString(CultureInfo.InvariantCulture) ?? ""}\" data-warnings=\"{run.Warnings?.ToString(CultureInfo.InvariantCulture) ?? ""}\"><title>{title}</title>");
            if (run.Status == ScanStatus.Incomplete)
            {
                svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x:0.#}\" y=\"{Top}\" width=\"{barWidth:0.#}\" height=\"{plot}\" fill=\"#ddd\"/>");
            }
            else
            {
                var errorHeight = plot * (run.Errors ?? 0) / (double)max;
                var warningHeight = plot * (run.Warnings ?? 0) / (double)max;
                var baseY = Height - Bottom;
                svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x:0.#}\" y=\"{baseY - errorHeight:0.#}\" width=\"{barWidth:0.#}\" height=\"{errorHeight:0.#}\" fill=\"#c62828\"/>");
                svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x:0.#}\" y=\"{baseY - errorHeight - warningHeight:0.#}\" width=\"{barWidth:0.#}\" height=\"{warningHeight:0.#}\" fill=\"#f9a825\"/>");
                // A consistent run with no findings still gets a visible mark on the axis.
                svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x:0.#}\" y=\"{baseY}\" width=\"{barWidth:0.#}\" height=\"4\" fill=\"{(run.Status == ScanStatus.Consistent ? "#2e7d32" : "#c62828")}\"/>");
            }

            svg.Append("</g>");
        }

        return svg.Append("</svg>").ToString();
    }
}
