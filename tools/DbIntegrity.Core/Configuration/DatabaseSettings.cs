using DbIntegrity.Core.Wording;
using Npgsql;

namespace DbIntegrity.Core.Configuration;

/// <summary>
/// Where the daemon's database is. Built from the daemon's <c>DB_*</c> variables (docs/daemon/database.md#connection) or from one
/// connection string. <see cref="ToString"/> and <see cref="Describe"/> never include the password.
/// </summary>
public sealed class DatabaseSettings
{
    private const string DefaultDatabase = "dify_plugin";

    private DatabaseSettings(NpgsqlConnectionStringBuilder builder)
    {
        Builder = builder;
    }

    private NpgsqlConnectionStringBuilder Builder { get; }

    public string Host => Builder.Host ?? "localhost";

    public int Port => Builder.Port;

    public string Database => Builder.Database ?? DefaultDatabase;

    public string? Username => Builder.Username;

    /// <summary>The password, for redacting it from any text the tool prints. Never print it.</summary>
    public string? Password => Builder.Password;

    /// <summary>Reads <c>DB_TYPE</c>, <c>DB_HOST</c>, <c>DB_PORT</c>, <c>DB_USERNAME</c>, <c>DB_PASSWORD</c>,
    /// <c>DB_DATABASE</c> (default <c>dify_plugin</c>), <c>DB_SSL_MODE</c> and <c>DB_EXTRAS</c>.</summary>
    public static DatabaseSettings FromDaemonVariables(SettingsSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var type = source.Get("DB_TYPE") ?? "postgresql";
        if (type is not ("postgresql" or "pgbouncer"))
        {
            throw new ConfigurationException(
                $"DB_TYPE={type} is not supported: dbintegrity checks PostgreSQL databases (DB_TYPE=postgresql or pgbouncer).");
        }

        var host = source.Get("DB_HOST") ?? throw new ConfigurationException(
            "No database configured: set DB_HOST, DB_PORT, DB_USERNAME, DB_PASSWORD and DB_DATABASE as for the plugin daemon, "
            + $"or pass {HostWords.Of(UserOption.DatabaseConnection)} \"Host=…;Username=…;Database=dify_plugin\". For a local throwaway setup run: tools/local-services.sh up");

        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = host,
            Port = source.GetInt("DB_PORT", 5432),
            Username = source.Get("DB_USERNAME") ?? "postgres",
            Password = source.Get("DB_PASSWORD"),
            Database = source.Get("DB_DATABASE") ?? DefaultDatabase,
            SslMode = ParseSslMode(source.Get("DB_SSL_MODE")),
        };
        ApplyExtras(builder, source.Get("DB_EXTRAS"));
        return new DatabaseSettings(Tune(builder));
    }

    /// <summary>Accepts an Npgsql connection string (<c>Host=…;Username=…</c>) or a <c>postgres://</c> URI.</summary>
    public static DatabaseSettings FromConnectionString(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = connectionString.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
                || connectionString.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase)
                ? FromUri(new Uri(connectionString))
                : new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or UriFormatException or KeyNotFoundException)
        {
            // The exception text can echo the connection string, password included: do not chain it.
            throw new ConfigurationException(
                $"{HostWords.Of(UserOption.DatabaseConnection)} is not a valid connection string: use Host=…;Port=…;Username=…;Password=…;Database=… or postgres://user@host:port/database.");
        }

        builder.Database ??= DefaultDatabase;
        return new DatabaseSettings(Tune(builder));
    }

    /// <summary>Builds settings from the <c>--db</c> flag when given, else from the daemon's variables.</summary>
    public static DatabaseSettings Resolve(string? connectionString, SettingsSource source) =>
        string.IsNullOrWhiteSpace(connectionString) ? FromDaemonVariables(source) : FromConnectionString(connectionString);

    /// <summary>The same server and credentials, another database (tests and the baseline use this).</summary>
    public DatabaseSettings WithDatabase(string database) =>
        new(new NpgsqlConnectionStringBuilder(Builder.ConnectionString) { Database = database });

    /// <summary>The same server and database, other credentials.</summary>
    public DatabaseSettings WithCredentials(string username, string? password) =>
        new(new NpgsqlConnectionStringBuilder(Builder.ConnectionString) { Username = username, Password = password });

    /// <summary>The full connection string, password included: for opening connections only, never for output.</summary>
    public string ConnectionString => Builder.ConnectionString;

    public NpgsqlDataSource CreateDataSource(string applicationName = "dbintegrity")
    {
        var builder = new NpgsqlConnectionStringBuilder(Builder.ConnectionString) { ApplicationName = applicationName };
        return new NpgsqlDataSourceBuilder(builder.ConnectionString).Build();
    }

    /// <summary><c>user@host:port/database</c>, without the password.</summary>
    public string Describe() => $"{Username}@{Host}:{Port}/{Database}";

    public override string ToString() => Describe();

    private static NpgsqlConnectionStringBuilder Tune(NpgsqlConnectionStringBuilder builder)
    {
        // Fail fast on an unreachable host. Statements keep Npgsql's 30 s CommandTimeout, except the scan's cursor reads,
        // which have none and are bounded by the scan's --timeout instead (PgCursor).
        if (builder.Timeout == 15)
        {
            builder.Timeout = 10;
        }

        builder.IncludeErrorDetail = false;
        // Text arrives as UTF-8 whatever the operator's Client Encoding= or PGCLIENTENCODING says: the scan reads
        // declarations as their UTF-8 bytes (IdentifierPass) and merges identifiers in UTF-8 byte order with the bucket's
        // keys; another client encoding would fail the scan on characters it cannot hold, or hand over other bytes.
        builder.ClientEncoding = "UTF8";
        return builder;
    }

    private static SslMode ParseSslMode(string? value) => value?.ToUpperInvariant() switch
    {
        null or "DISABLE" => SslMode.Disable,
        "REQUIRE" => SslMode.Require,
        "PREFER" => SslMode.Prefer,
        "ALLOW" => SslMode.Allow,
        "VERIFY-CA" => SslMode.VerifyCA,
        "VERIFY-FULL" => SslMode.VerifyFull,
        _ => throw new ConfigurationException($"DB_SSL_MODE={value} is not valid: use disable or require."),
    };

    // DB_EXTRAS holds libpq-style "key=value key=value" pairs appended to the daemon's DSN.
    private static void ApplyExtras(NpgsqlConnectionStringBuilder builder, string? extras)
    {
        if (extras is null)
        {
            return;
        }

        var pairs = extras.Split([' ', '&', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        for (var i = 0; i < pairs.Length; i++)
        {
            var pair = pairs[i];
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                // The entry is not echoed: it may be the rest of a value with a space in it (password=a b).
                throw new ConfigurationException(
                    $"DB_EXTRAS entry {i + 1} of {pairs.Length} has no '='. Use key=value pairs separated by spaces; values cannot contain spaces (pass {HostWords.Of(UserOption.DatabaseConnection)} for those).");
            }

            var key = pair[..eq];
            try
            {
                builder[key] = pair[(eq + 1)..];
            }
            catch (ArgumentException)
            {
                throw new ConfigurationException($"DB_EXTRAS key \"{key}\" is not a connection setting Npgsql knows; remove it or pass {HostWords.Of(UserOption.DatabaseConnection)}.");
            }
        }
    }

    private static NpgsqlConnectionStringBuilder FromUri(Uri uri)
    {
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.IsDefaultPort || uri.Port <= 0 ? 5432 : uri.Port,
            Database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/')) is { Length: > 0 } db ? db : null,
        };
        if (uri.UserInfo.Length > 0)
        {
            var parts = uri.UserInfo.Split(':', 2);
            builder.Username = Uri.UnescapeDataString(parts[0]);
            if (parts.Length == 2)
            {
                builder.Password = Uri.UnescapeDataString(parts[1]);
            }
        }

        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = pair.Split('=', 2);
            var key = Uri.UnescapeDataString(kv[0]);
            var value = kv.Length == 2 ? Uri.UnescapeDataString(kv[1]) : string.Empty;
            if (key.Equals("sslmode", StringComparison.OrdinalIgnoreCase))
            {
                builder.SslMode = ParseSslMode(value);
            }
            else
            {
                builder[key] = value;
            }
        }

        return builder;
    }
}
