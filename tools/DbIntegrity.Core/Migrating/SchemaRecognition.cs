namespace DbIntegrity.Core.Migrating;

/// <summary>
/// What an unversioned database looks like: the daemon release whose schema it matches best, what it lacks against
/// that release (<see cref="Drift"/>), and the legacy leftovers it holds, which are expected in long-lived databases.
/// </summary>
public sealed record SchemaRecognition(DaemonVersion Version, IReadOnlyList<SchemaDrift> Drift, IReadOnlyList<string> Leftovers)
{
    public bool HasDrift => Drift.Count > 0;
}
