using DbIntegrity.Core.Reporting;

namespace DbIntegrity.Cli.Infrastructure;

/// <summary>Maps results to the documented exit codes.</summary>
internal static class ExitCodes
{
    public static ExitCode ForScan(ScanReport report) => report switch
    {
        { Cancelled: true } => ExitCode.Cancelled,
        { Status: ScanStatus.Incomplete } => ExitCode.Incomplete,
        { Status: ScanStatus.Inconsistent } => ExitCode.Findings,
        _ => ExitCode.Success,
    };
}
