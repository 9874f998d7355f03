namespace DbIntegrity.Core.Repair;

/// <summary>How a row changed.</summary>
public enum RowChangeKind
{
    Deleted,
    Updated,
    Inserted,
}
