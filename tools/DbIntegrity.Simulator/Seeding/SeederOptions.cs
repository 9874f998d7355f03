namespace DbIntegrity.Simulator.Seeding;

/// <summary>How <see cref="DeploymentSeeder"/> stamps and shapes what it writes.</summary>
public sealed record SeederOptions
{
    /// <summary>The clock rows are stamped from.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>
    /// How far before "now" rows are stamped (<c>created_at</c>, <c>updated_at</c>, the UUIDv7 ids). The default, one
    /// hour, is comfortably older than the checker's grace period (5 minutes), so seeded rows count as settled; use
    /// <see cref="TimeSpan.Zero"/> for rows a check should treat as still in flight.
    /// </summary>
    public TimeSpan RowAge { get; init; } = TimeSpan.FromHours(1);

    /// <summary>The Dify user that sets up endpoints (<c>endpoints.user_id</c>).</summary>
    public Guid UserId { get; init; } = new("0190d5a1-0000-7000-8000-00000000a11c");

    /// <summary>
    /// Whether uninstalling the last installation also deletes the <c>plugin_declarations</c> row and, for serverless
    /// plugins, the <c>serverless_runtimes</c> row, as daemon 0.6.2 and later do (#738, #749, docs/daemon/database.md#invariants item 2).
    /// Off by default: the schema versions up to 0.5.4 belong to daemons that keep them.
    /// </summary>
    public bool DeleteDeclarationOnLastUninstall { get; init; }

    internal DateTimeOffset RowTimestamp() => TimeProvider.GetUtcNow() - RowAge;
}
