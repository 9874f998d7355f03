using DbIntegrity.Core;

namespace DbIntegrity.Cli.Infrastructure;

/// <summary>
/// Refuses empty arguments before parsing. The parser turns <c>--bucket ""</c> into null, which then falls back to the
/// daemon's variable: a script whose variable expanded to nothing would silently check another bucket (issue 12).
/// </summary>
internal static class EmptyArguments
{
    public static void Reject(IReadOnlyList<string> args)
    {
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            var equals = arg.StartsWith("--", StringComparison.Ordinal) ? arg.IndexOf('=', StringComparison.Ordinal) : -1;
            if (equals > 0 && string.IsNullOrWhiteSpace(arg[(equals + 1)..]))
            {
                throw Empty(arg[..equals]);
            }

            if (string.IsNullOrWhiteSpace(arg))
            {
                throw i > 0 && args[i - 1].StartsWith('-') && !args[i - 1].Contains('=', StringComparison.Ordinal)
                    ? Empty(args[i - 1])
                    : new ConfigurationException($"Argument {i + 1} is empty. Remove it, or check the variable that should have filled it.");
            }
        }
    }

    private static ConfigurationException Empty(string flag) =>
        new($"{flag} was given an empty value. Give it a value, or leave {flag} out to use its default (see dbintegrity --help); "
            + "an empty value is refused so that a variable that expanded to nothing does not select another database, bucket or file.");
}
