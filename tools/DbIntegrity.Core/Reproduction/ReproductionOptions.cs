namespace DbIntegrity.Core.Reproduction;

/// <summary>What <see cref="Reproducer"/> does when the deployment is not empty. By default it refuses.</summary>
public sealed record ReproductionOptions
{
    /// <summary>Wipe the daemon's footprint first (<see cref="DaemonFootprint"/>: the daemon tables' rows, the daemon prefixes).</summary>
    public bool Force { get; init; }

    /// <summary>Leave a non-empty deployment as it is and report it as skipped (for one-shot containers that may run twice).</summary>
    public bool SkipIfNotEmpty { get; init; }
}
