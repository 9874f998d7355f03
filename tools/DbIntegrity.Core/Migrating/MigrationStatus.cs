namespace DbIntegrity.Core.Migrating;

/// <summary>
/// Where a database stands: every migration of the chain with its version row if applied, version rows this build
/// does not know (written by a newer DbIntegrity), and for an unversioned database what it looks like.
/// </summary>
public sealed record MigrationStatus(
    DatabaseVersioning Versioning,
    IReadOnlyList<MigrationState> Migrations,
    IReadOnlyList<AppliedMigration> UnknownApplied,
    SchemaRecognition? Recognition)
{
    /// <summary>The newest applied migration of the chain, if any.</summary>
    public MigrationDescriptor? Current => Migrations.LastOrDefault(m => m.IsApplied)?.Migration;

    public IEnumerable<MigrationDescriptor> Pending => Migrations.Where(m => !m.IsApplied).Select(m => m.Migration);
}
