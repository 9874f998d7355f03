namespace DbIntegrity.Core.Backup;

/// <summary>An object the database refers to that did not exist when the backup ran, and which row refers to it.</summary>
public sealed record MissingObject(string Key, BackupObjectKind Kind, string ReferencedBy);
