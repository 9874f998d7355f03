namespace DbIntegrity.Core.Storage;

/// <summary>One object as a listing or a HEAD request reports it.</summary>
public sealed record StoredObject(string Key, long Size, DateTimeOffset LastModified, string? ETag);
