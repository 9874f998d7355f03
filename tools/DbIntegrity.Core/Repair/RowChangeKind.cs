namespace DbIntegrity.Core.Repair;

/// <summary>How a row changed.</summary>
internal enum RowChangeKind
{
    Deleted,
    Updated,
    Inserted,
}
