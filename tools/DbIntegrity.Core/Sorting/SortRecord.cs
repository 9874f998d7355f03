namespace DbIntegrity.Core.Sorting;

/// <summary>A key to sort by and a payload that travels with it.</summary>
internal sealed record SortRecord(string Key, string Value);
