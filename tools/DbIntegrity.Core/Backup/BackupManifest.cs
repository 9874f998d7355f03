namespace DbIntegrity.Core.Backup;

/// <summary>
/// <c>manifest.json</c> at the root of a backup: every object copied, with size and checksums, so that the copies can be
/// verified and <c>dbintegrity restore</c> can bring missing objects back. Written by <c>dbintegrity backup</c> and by
/// <c>repair apply</c> for the objects it deletes or overwrites. Field names are a public contract.
/// </summary>
public sealed record BackupManifest
{
    public const string FormatName = "dbintegrity-backup";
    public const int CurrentFormatVersion = 1;
    public const string FileName = "manifest.json";

    public string Format { get; init; } = FormatName;

    public int FormatVersion { get; init; } = CurrentFormatVersion;

    /// <summary>The backup's folder name, e.g. <c>backup-20260101T120000Z</c> or <c>repair-…</c>.</summary>
    public required string Id { get; init; }

    /// <summary><c>backup</c> or <c>repair</c>.</summary>
    public required string Origin { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>The daemon bucket the objects came from.</summary>
    public required string SourceBucket { get; init; }

    /// <summary>The database the references were read from (<c>user@host:port/database</c>).</summary>
    public required string Database { get; init; }

    public required IReadOnlyList<BackupEntry> Objects { get; init; }

    public IReadOnlyList<MissingObject> Missing { get; init; } = [];
}
