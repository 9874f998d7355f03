namespace DbIntegrity.Core.Repair;

/// <summary>rows.json of a repair backup: every row the apply changed, before and after.</summary>
internal sealed record RepairRowsBackup
{
    public const string FormatName = "dbintegrity-repair-rows";

    public string Format { get; init; } = FormatName;

    public int FormatVersion { get; init; } = 1;

    public required string BackupId { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary><c>host:port/database</c> the rows belong to.</summary>
    public required string Database { get; init; }

    public required IReadOnlyList<RowChange> Rows { get; init; }
}
