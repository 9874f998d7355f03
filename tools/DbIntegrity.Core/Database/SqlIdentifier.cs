namespace DbIntegrity.Core.Database;

/// <summary>PostgreSQL identifier quoting for table and column names that come from the inspected schema.</summary>
public static class SqlIdentifier
{
    /// <summary>The name in double quotes, embedded quotes doubled: safe to splice into SQL as an identifier.</summary>
    public static string Quote(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
