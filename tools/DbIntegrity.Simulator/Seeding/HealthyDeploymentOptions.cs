namespace DbIntegrity.Simulator.Seeding;

/// <summary>What <see cref="HealthyDeployment"/> includes beyond its fixed core.</summary>
public sealed record HealthyDeploymentOptions
{
    /// <summary>How many tenants (at least 3). Tenants past the third install the common plugins too.</summary>
    public int TenantCount { get; init; } = 3;

    /// <summary>A connected debugging plugin (docs/daemon/database.md#invariants item 8): remote rows, declaration on the plugins row, no package objects.</summary>
    public bool IncludeRemote { get; init; } = true;

    /// <summary>
    /// A serverless installation. Off by default: a daemon runs either <c>PLATFORM=local</c> or <c>serverless</c>, so a
    /// real deployment does not mix them (docs/daemon/rules.md#serverless).
    /// </summary>
    public bool IncludeServerless { get; init; }

    /// <summary>Readme records for two plugins, when the schema has <c>plugin_readme_records</c> (0.5.2+).</summary>
    public bool IncludeReadmes { get; init; } = true;

    /// <summary>A failed install task, which the daemon keeps (docs/daemon/database.md#tables, docs/daemon/rules.md#harmless-orphans).</summary>
    public bool IncludeFailedInstallTask { get; init; } = true;
}
