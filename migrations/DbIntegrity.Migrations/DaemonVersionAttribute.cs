namespace DbIntegrity.Migrations;

/// <summary>
/// Marks an upstream migration with the plugin daemon release whose schema change it mirrors (docs/daemon/database.md#schema-history), e.g.
/// <c>[DaemonVersion("0.5.4")]</c>. The migration id encodes the same version: major·10⁶ + minor·10⁴ + patch·10² + sequence.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class DaemonVersionAttribute : Attribute
{
    public DaemonVersionAttribute(string version)
    {
        Version = version;
    }

    /// <summary>The daemon release tag, <c>major.minor.patch</c>.</summary>
    public string Version { get; }
}
