namespace DbIntegrity.Core;

/// <summary>
/// The command cannot start: a setting is missing, malformed or contradictory. The message says which setting and how
/// to fix it. The CLI maps it to exit code 2.
/// </summary>
public sealed class ConfigurationException : Exception
{
    public ConfigurationException(string message)
        : base(message)
    {
    }

    public ConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
