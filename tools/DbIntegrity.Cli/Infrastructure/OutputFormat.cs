namespace DbIntegrity.Cli.Infrastructure;

/// <summary>How repair, backup and restore print their result on stdout.</summary>
public enum OutputFormat
{
    /// <summary>Lines for people.</summary>
    Table,

    /// <summary>One JSON document and nothing else on stdout.</summary>
    Json,
}
