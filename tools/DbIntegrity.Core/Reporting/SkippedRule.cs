namespace DbIntegrity.Core.Reporting;

/// <summary>A rule that did not run, and why (e.g. its table does not exist at this schema version).</summary>
public sealed record SkippedRule(string Rule, string Reason);
