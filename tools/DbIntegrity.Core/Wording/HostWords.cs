using System.Text.RegularExpressions;

namespace DbIntegrity.Core.Wording;

/// <summary>
/// The placeholders that stand for a host's words in Core's texts (exception messages, notes, report lines):
/// <c>{next:MakeRepairPlan}</c> for a <see cref="NextStep"/>, <c>{option:Deep}</c> for a <see cref="UserOption"/>. Core
/// writes them with <see cref="Of(NextStep)"/> and <see cref="Of(UserOption)"/>; a host fills them with
/// <see cref="Fill"/> before a person reads the text. The placeholders hold only letters, colons and braces, so JSON,
/// HTML and Markdown carry them unchanged.
/// </summary>
public static partial class HostWords
{
    public static string Of(NextStep step) => "{next:" + step + "}";

    public static string Of(UserOption option) => "{option:" + option + "}";

    /// <summary>Replaces every placeholder with the host's words; text that is not a placeholder stays as it is.</summary>
    public static string Fill(string text, Func<NextStep, string> step, Func<UserOption, string> option)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(step);
        ArgumentNullException.ThrowIfNull(option);
        return text.Contains('{', StringComparison.Ordinal)
            ? Placeholder().Replace(text, m => m.Groups["kind"].Value == "next"
                ? Enum.TryParse<NextStep>(m.Groups["name"].Value, out var s) ? step(s) : m.Value
                : Enum.TryParse<UserOption>(m.Groups["name"].Value, out var o) ? option(o) : m.Value)
            : text;
    }

    [GeneratedRegex(@"\{(?<kind>next|option):(?<name>[A-Za-z][A-Za-z0-9]*)\}", RegexOptions.CultureInvariant)]
    private static partial Regex Placeholder();
}
