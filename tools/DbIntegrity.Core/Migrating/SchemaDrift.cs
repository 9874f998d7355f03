namespace DbIntegrity.Core.Migrating;

/// <summary>A piece of the expected daemon schema that the database lacks or has in another shape.</summary>
public sealed record SchemaDrift(string Subject, string Expected, string Found)
{
    public override string ToString() => $"{Subject}: expected {Expected}, found {Found}";
}
