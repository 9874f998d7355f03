using System.Net.Sockets;
using System.Text.RegularExpressions;
using DbIntegrity.Core.Wording;
using Npgsql;

namespace DbIntegrity.Core.Database;

/// <summary>What a PostgreSQL failure means for the user, and which setting to check: one wording for every command.</summary>
public static partial class DatabaseFailures
{
    public static string Describe(NpgsqlException ex)
    {
        ArgumentNullException.ThrowIfNull(ex);
        return ex switch
        {
            PostgresException { SqlState: PostgresErrorCodes.InsufficientPrivilege } pg =>
                $"permission denied in the database ({pg.MessageText}): the role needs SELECT on the plugin tables (see docs/least-privilege.md).",
            PostgresException { SqlState: PostgresErrorCodes.InvalidPassword or PostgresErrorCodes.InvalidAuthorizationSpecification } pg =>
                $"the database refused the login ({pg.SqlState}: {pg.MessageText}): check DB_USERNAME and DB_PASSWORD (or the user and password in {HostWords.Of(UserOption.DatabaseConnection)}).",
            PostgresException { SqlState: PostgresErrorCodes.InvalidCatalogName } pg =>
                $"the database does not exist ({pg.SqlState}: {pg.MessageText}): check DB_DATABASE (the daemon's default is dify_plugin) or the Database in {HostWords.Of(UserOption.DatabaseConnection)}.",
            PostgresException pg => $"the database refused a query ({pg.SqlState}: {pg.MessageText}).",
            _ when IsConnectFailure(ex) =>
                $"could not connect to {Endpoint(ex)} ({Innermost(ex).Message}): check DB_HOST and DB_PORT (or the Host and Port in {HostWords.Of(UserOption.DatabaseConnection)}), and that PostgreSQL runs and is reachable from here.",
            _ => $"the database connection failed: {ex.Message}",
        };
    }

    private static bool IsConnectFailure(NpgsqlException ex) =>
        ex.InnerException is SocketException || ex.Message.StartsWith("Failed to connect to", StringComparison.Ordinal);

    // Npgsql names the address it tried: "Failed to connect to 127.0.0.1:5432".
    private static string Endpoint(NpgsqlException ex) =>
        ConnectTarget().Match(ex.Message) is { Success: true } match ? match.Groups["endpoint"].Value : "the database server";

    private static Exception Innermost(Exception ex) => ex.InnerException is null ? ex : Innermost(ex.InnerException);

    [GeneratedRegex(@"Failed to connect to (?<endpoint>\S+)")]
    private static partial Regex ConnectTarget();
}
