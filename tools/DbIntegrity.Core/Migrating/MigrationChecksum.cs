namespace DbIntegrity.Core.Migrating;

/// <summary>The SHA-256 (lowercase hex) of the SQL a migration runs up, and how many statements that is.</summary>
public sealed record MigrationChecksum(string Sha256, int Statements);
