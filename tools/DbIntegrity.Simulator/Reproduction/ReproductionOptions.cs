namespace DbIntegrity.Simulator.Reproduction;

/// <summary>What <see cref="Reproducer"/> does when the deployment is not empty. By default it refuses.</summary>
public sealed record ReproductionOptions
{
    /// <summary>Wipe the daemon's footprint first (<see cref="DaemonFootprint"/>: the daemon tables' rows, the daemon prefixes).</summary>
    public bool Force { get; init; }

    /// <summary>
    /// With <see cref="Force"/>, also wipe a deployment that looks adopted: a migration recorded by
    /// <c>migrate baseline</c> (how a production database joins the chain) or a gate history in
    /// <c>dbintegrity_check_runs</c>. Without it, such a deployment is refused even with --force.
    /// </summary>
    public bool WipeAdopted { get; init; }

    /// <summary>Leave a non-empty deployment as it is and report it as skipped (for one-shot containers that may run twice).</summary>
    public bool SkipIfNotEmpty { get; init; }

    /// <summary>
    /// Lay the deployment out like Dify's compose volume (<see cref="ComposeVolume"/>): the plugins' working folders
    /// under <c>cwd/</c> and KV entries under the persistence prefix, beside the daemon's objects. For local storage only,
    /// where the working folders share the volume with the objects.
    /// </summary>
    public bool ComposeVolume { get; init; }
}
