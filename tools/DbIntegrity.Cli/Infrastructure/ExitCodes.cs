using DbIntegrity.Core.Gate;
using DbIntegrity.Core.Reporting;

namespace DbIntegrity.Cli.Infrastructure;

/// <summary>Maps results to the documented exit codes.</summary>
internal static class ExitCodes
{
    public static ExitCode ForScan(ScanReport report) => report switch
    {
        { Cancelled: true } => ExitCode.Cancelled,
        { Status: ScanStatus.Incomplete } => ExitCode.Incomplete,
        { BlockingErrors: > 0 } => ExitCode.Findings,
        _ => ExitCode.Success,
    };

    public static ExitCode ForGate(GateReport report) => report switch
    {
        { Cancelled: true } => ExitCode.Cancelled,
        { Verdict: GateVerdict.Block } => ExitCode.Findings,
        { Verdict: GateVerdict.Incomplete } => ExitCode.Incomplete,
        _ => ExitCode.Success,
    };
}
