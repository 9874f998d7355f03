namespace DbIntegrity.Core.Migrating;

/// <summary>A row of <c>dbintegrity_migration_checksums</c>: the checksum recorded when the migration was applied.</summary>
internal sealed record StoredChecksum(long Id, MigrationChecksum Checksum, DateTimeOffset RecordedAt, string? ToolVersion);
