using System.Globalization;
using System.Text.RegularExpressions;

namespace DbIntegrity.Core.Configuration;

/// <summary>Parses durations as operators write them: <c>0</c>, <c>90s</c>, <c>5m</c>, <c>1h30m</c>, <c>500ms</c>, <c>2d</c>.</summary>
public static partial class Durations
{
    public static TimeSpan Parse(string text, string option)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        if (trimmed == "0")
        {
            return TimeSpan.Zero;
        }

        var matches = Part().Matches(trimmed);
        if (matches.Count == 0 || string.Concat(matches.Select(m => m.Value)) != trimmed)
        {
            throw new ConfigurationException($"{option} {text} is not a duration: use e.g. 0, 30s, 5m, 1h30m or 500ms.");
        }

        var total = TimeSpan.Zero;
        foreach (Match match in matches)
        {
            var value = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
            total += match.Groups[2].Value switch
            {
                "ms" => TimeSpan.FromMilliseconds(value),
                "s" => TimeSpan.FromSeconds(value),
                "m" => TimeSpan.FromMinutes(value),
                "h" => TimeSpan.FromHours(value),
                _ => TimeSpan.FromDays(value),
            };
        }

        return total;
    }

    public static string Format(TimeSpan duration) =>
        duration == TimeSpan.Zero ? "0"
        : duration.TotalHours >= 1 && duration.Minutes == 0 && duration.Seconds == 0 ? $"{(int)duration.TotalHours}h"
        : duration.TotalMinutes >= 1 && duration.Seconds == 0 ? $"{(int)duration.TotalMinutes}m"
        : $"{duration.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)}s";

    [GeneratedRegex(@"(\d+(?:\.\d+)?)(ms|s|m|h|d)", RegexOptions.CultureInvariant)]
    private static partial Regex Part();
}
