namespace DbIntegrity.Core.Migrating;

/// <summary>
/// What <c>migrate baseline</c> found and did: the recognised release, the migrations it records as applied, and
/// whether it recorded them (it does not when there is drift and drift was not accepted, or when only previewing).
/// </summary>
public sealed record BaselineResult(SchemaRecognition Recognition, IReadOnlyList<MigrationDescriptor> Migrations, bool Recorded);
