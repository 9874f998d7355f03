namespace DbIntegrity.Core.Repair;

/// <summary>What an apply did and where its backup is.</summary>
public sealed record RepairApplyResult
{
    public required RepairOutcome Outcome { get; init; }

    public required IReadOnlyList<FixResult> Fixes { get; init; }

    /// <summary><c>s3://bucket/prefix/repair-…</c>; null when nothing needed a backup.</summary>
    public string? Backup { get; init; }

    public string? LocalBackupDirectory { get; init; }

    /// <summary>Notes for the operator (e.g. restore copies written before a refusal).</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
}
