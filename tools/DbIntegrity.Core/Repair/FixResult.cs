namespace DbIntegrity.Core.Repair;

/// <summary>One fix of an apply, with the reason when it was stale.</summary>
public sealed record FixResult(string Id, RepairKind Kind, string Summary, FixOutcome Outcome, string? Detail = null);
