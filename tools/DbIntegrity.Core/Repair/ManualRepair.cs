using DbIntegrity.Core.Rules;

namespace DbIntegrity.Core.Repair;

/// <summary>A finding with no safe automatic fix: why, and what a person should do instead.</summary>
public sealed record ManualRepair
{
    public required string Rule { get; init; }

    public required Severity Severity { get; init; }

    public required string Fingerprint { get; init; }

    public required string Message { get; init; }

    /// <summary>Why repair will not do it, and the next step.</summary>
    public required string Reason { get; init; }
}
