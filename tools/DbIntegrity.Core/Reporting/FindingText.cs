using DbIntegrity.Core.Rules;

namespace DbIntegrity.Core.Reporting;

/// <summary>
/// Splits a finding's message into its fact (the first sentence: which row, key or count) and its explanation (what
/// the daemon does about it, the same for every finding of a rule), so that short reports print the explanation once
/// per rule and one fact per finding.
/// </summary>
public static class FindingText
{
    /// <summary>The first sentence of the message: what this finding is about.</summary>
    public static string Fact(Finding finding)
    {
        ArgumentNullException.ThrowIfNull(finding);
        return Split(finding.Message).Fact;
    }

    /// <summary>The rest of the message (empty when it is one sentence).</summary>
    public static string Explanation(Finding finding)
    {
        ArgumentNullException.ThrowIfNull(finding);
        return Split(finding.Message).Explanation;
    }

    /// <summary>
    /// A sentence ends at ". " followed by an upper-case letter: identifiers, versions and keys hold dots but never a
    /// dot, a space and a capital.
    /// </summary>
    public static (string Fact, string Explanation) Split(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        for (var i = message.IndexOf(". ", StringComparison.Ordinal); i >= 0 && i + 2 < message.Length; i = message.IndexOf(". ", i + 1, StringComparison.Ordinal))
        {
            if (char.IsUpper(message[i + 2]))
            {
                return (message[..(i + 1)], message[(i + 2)..].Trim());
            }
        }

        return (message.Trim(), string.Empty);
    }
}
