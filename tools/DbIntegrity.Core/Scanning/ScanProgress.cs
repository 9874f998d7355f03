namespace DbIntegrity.Core.Scanning;

/// <summary>Where a scan is: a phase name and how many items it has handled so far.</summary>
public sealed record ScanProgress(string Phase, long Items);
