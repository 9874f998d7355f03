namespace DbIntegrity.Cli;

/// <summary>The process exit codes; README.md mirrors this list and tests assert it exactly.</summary>
public enum ExitCode
{
    /// <summary>The command completed and found no error (check: no error finding; gate: pass).</summary>
    Success = 0,

    /// <summary>Error findings (check), or the gate blocked.</summary>
    Findings = 1,

    /// <summary>Usage or configuration error: bad flags, missing settings, unreadable input files.</summary>
    UsageError = 2,

    /// <summary>Could not complete: database or S3 unreachable, permission denied, scan interrupted.</summary>
    Incomplete = 3,

    /// <summary>Cancelled (Ctrl+C / SIGINT / SIGTERM).</summary>
    Cancelled = 130,
}
