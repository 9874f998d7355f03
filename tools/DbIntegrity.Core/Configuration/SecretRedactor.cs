namespace DbIntegrity.Core.Configuration;

/// <summary>
/// Remembers secret values (database password, S3 secret key) and blanks them out of any text before it is printed,
/// including exception messages from drivers that may echo them.
/// </summary>
public sealed class SecretRedactor
{
    private const string Mask = "***";
    private readonly HashSet<string> _secrets = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public void Add(string? secret)
    {
        // Very short values would blank out ordinary words; such a password is not worth hiding from a log.
        if (!string.IsNullOrEmpty(secret) && secret.Length >= 4)
        {
            lock (_lock)
            {
                _secrets.Add(secret);
            }
        }
    }

    public void AddFrom(DatabaseSettings? database, StorageSettings? storage)
    {
        Add(database?.Password);
        Add(storage?.SecretKey);
        Add(storage?.EndpointPassword);
    }

    public string Redact(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        lock (_lock)
        {
            foreach (var secret in _secrets.OrderByDescending(s => s.Length))
            {
                text = text.Replace(secret, Mask, StringComparison.Ordinal);
            }
        }

        return text;
    }
}
