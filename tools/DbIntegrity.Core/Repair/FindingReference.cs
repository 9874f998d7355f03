namespace DbIntegrity.Core.Repair;

/// <summary>A finding a fix answers: its rule, its fingerprint (stable across runs) and its message.</summary>
public sealed record FindingReference(string Rule, string Fingerprint, string Message);
