using System.Collections;
using System.Globalization;

namespace DbIntegrity.Core.Configuration;

/// <summary>
/// Reads the plugin daemon's own environment variables (docs/daemon/database.md#connection and docs/daemon/storage.md#settings), so the tool runs beside the daemon
/// with the daemon's env file. Command-line flags are applied on top by the caller.
/// </summary>
public sealed class SettingsSource
{
    private readonly IReadOnlyDictionary<string, string> _values;

    public SettingsSource(IReadOnlyDictionary<string, string> values)
    {
        _values = values;
    }

    public static SettingsSource FromEnvironment()
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            if (entry.Key is string key && entry.Value is string value)
            {
                values[key] = value;
            }
        }

        return new SettingsSource(values);
    }

    /// <summary>The value, or null when the variable is unset or blank.</summary>
    public string? Get(string name) =>
        _values.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    public bool Has(string name) => Get(name) is not null;

    /// <summary>A copy with some values replaced; null or blank overrides are ignored (flags not given).</summary>
    public SettingsSource With(IReadOnlyDictionary<string, string?> overrides)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        var values = new Dictionary<string, string>(_values, StringComparer.Ordinal);
        foreach (var (key, value) in overrides)
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                values[key] = value;
            }
        }

        return new SettingsSource(values);
    }

    /// <summary>A copy without these variables.</summary>
    public SettingsSource Without(params string[] names)
    {
        var values = new Dictionary<string, string>(_values, StringComparer.Ordinal);
        foreach (var name in names)
        {
            values.Remove(name);
        }

        return new SettingsSource(values);
    }

    public bool GetBool(string name, bool defaultValue)
    {
        var value = Get(name);
        if (value is null)
        {
            return defaultValue;
        }

        return value.ToUpperInvariant() switch
        {
            "1" or "TRUE" or "T" or "YES" or "Y" or "ON" => true,
            "0" or "FALSE" or "F" or "NO" or "N" or "OFF" => false,
            _ => throw new ConfigurationException($"{name}={value} is not a boolean: use true or false."),
        };
    }

    public int GetInt(string name, int defaultValue)
    {
        var value = Get(name);
        if (value is null)
        {
            return defaultValue;
        }

        return int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw new ConfigurationException($"{name}={value} is not a whole number.");
    }
}
