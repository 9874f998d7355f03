namespace DbIntegrity.Core.Migrating;

/// <summary>
/// The SHA-256 (lowercase hex) of the SQL a migration runs up, how many statements that is, and the SHA-256 of the SQL
/// its <c>Down()</c> runs (null when it was recorded before down checksums were kept): an edited <c>Down()</c> no longer
/// undoes what the migration ran.
/// </summary>
internal sealed record MigrationChecksum(string Sha256, int Statements, string? DownSha256 = null);
