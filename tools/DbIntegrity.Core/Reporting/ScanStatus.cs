namespace DbIntegrity.Core.Reporting;

/// <summary>The verdict of a scan.</summary>
public enum ScanStatus
{
    /// <summary>The scan finished and found no error finding.</summary>
    Consistent,

    /// <summary>The scan finished and found at least one error finding.</summary>
    Inconsistent,

    /// <summary>The scan did not finish (unreachable service, permission denied, timeout, cancellation): no verdict.</summary>
    Incomplete,
}
