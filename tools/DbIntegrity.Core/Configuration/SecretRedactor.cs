using System.Text.RegularExpressions;

namespace DbIntegrity.Core.Configuration;

/// <summary>
/// Remembers secret values (database password, S3 secret key, Azure connection string, the clouds' secret keys) and
/// blanks them out of any text before it is printed, including exception messages from drivers that may echo them.
/// </summary>
public sealed class SecretRedactor
{
    private const string Mask = "***";

    // Shorter secrets are blanked only where they stand alone (not inside a word), or "a" would blank every "a".
    private const int SubstringLength = 4;

    private readonly HashSet<string> _secrets = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public void Add(string? secret)
    {
        if (!string.IsNullOrEmpty(secret))
        {
            lock (_lock)
            {
                _secrets.Add(secret);
            }
        }
    }

    /// <summary>
    /// Remembers, before any argument is parsed, the secrets a command could echo in a parse error: the password and
    /// S3 secret key of the environment, and the password of any argument that reads as a connection string
    /// (<c>--db</c>'s value, <c>--db=…</c>, or one passed without <c>--db</c> by mistake).
    /// </summary>
    public void AddFromInvocation(IEnumerable<string> arguments, SettingsSource environment)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(environment);
        Add(environment.Get("DB_PASSWORD"));
        Add(environment.Get("AWS_SECRET_KEY"));
        foreach (var secret in AzureBlobSettings.SecretsOf(environment.Get(AzureBlobSettings.ConnectionStringVariable)))
        {
            Add(secret);
        }

        foreach (var variable in S3CompatibleClouds.SecretVariables)
        {
            Add(environment.Get(variable));
        }

        foreach (var argument in arguments)
        {
            var value = argument.StartsWith("--", StringComparison.Ordinal) && argument.IndexOf('=', StringComparison.Ordinal) is > 2 and var eq ? argument[(eq + 1)..] : argument;
            if (value.Contains("password", StringComparison.OrdinalIgnoreCase) || value.Contains("://", StringComparison.Ordinal))
            {
                try
                {
                    Add(DatabaseSettings.FromConnectionString(value).Password);
                }
                catch (ConfigurationException)
                {
                    // Not a connection string: nothing to remember.
                }
            }
        }
    }

    public string Redact(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        lock (_lock)
        {
            foreach (var secret in _secrets.OrderByDescending(s => s.Length))
            {
                text = secret.Length >= SubstringLength
                    ? text.Replace(secret, Mask, StringComparison.Ordinal)
                    : Regex.Replace(text, $"(?<![\\p{{L}}\\p{{N}}]){Regex.Escape(secret)}(?![\\p{{L}}\\p{{N}}])", Mask, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
            }
        }

        return text;
    }
}
