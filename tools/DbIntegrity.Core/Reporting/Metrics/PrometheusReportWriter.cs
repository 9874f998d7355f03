using System.Globalization;
using System.Text;

namespace DbIntegrity.Core.Reporting.Metrics;

/// <summary>
/// <c>check --format prometheus</c>: the <see cref="CheckMetrics"/> of one scan as OpenMetrics text, for the node
/// exporter's textfile collector or a Pushgateway. Every family is a gauge; the text ends with <c># EOF</c>.
/// </summary>
public static class PrometheusReportWriter
{
    public static string Write(ScanReport report, DateTimeOffset? lastComplete = null) => Write(CheckMetrics.From(report, lastComplete));

    public static string Write(IEnumerable<MetricFamily> families)
    {
        ArgumentNullException.ThrowIfNull(families);
        var text = new StringBuilder();
        foreach (var family in families)
        {
            text.Append("# HELP ").Append(family.Name).Append(' ').Append(EscapeHelp(family.Help)).Append('\n');
            text.Append("# TYPE ").Append(family.Name).Append(" gauge\n");
            foreach (var sample in family.Samples)
            {
                text.Append(sample.Name);
                if (sample.Labels.Count > 0)
                {
                    text.Append('{').AppendJoin(',', sample.Labels.Select(l => $"{l.Key}=\"{EscapeLabel(l.Value)}\"")).Append('}');
                }

                text.Append(' ').Append(sample.Value.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
            }
        }

        return text.Append("# EOF\n").ToString();
    }

    /// <summary>
    /// The last-complete time in a textfile an earlier run wrote, so that an incomplete run does not erase it (the
    /// textfile collector and a Pushgateway keep only the newest file). Null when there is none.
    /// </summary>
    public static DateTimeOffset? ReadLastComplete(string previousText)
    {
        ArgumentNullException.ThrowIfNull(previousText);
        foreach (var line in previousText.Split('\n'))
        {
            var parts = line.Trim().Split(' ');
            if (parts.Length == 2 && parts[0] == CheckMetrics.LastComplete
                && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && double.IsFinite(seconds) && seconds > 0)
            {
                return DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000));
            }
        }

        return null;
    }

    private static string EscapeLabel(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static string EscapeHelp(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
