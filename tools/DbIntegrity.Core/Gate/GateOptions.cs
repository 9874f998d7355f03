using DbIntegrity.Core.Baselines;
using DbIntegrity.Core.Scanning;

namespace DbIntegrity.Core.Gate;

/// <summary>How a gate runs. The defaults are what <c>dbintegrity gate</c> does without flags.</summary>
public sealed record GateOptions
{
    /// <summary><c>--to</c>: <c>latest</c> (null), a daemon version, a migration id, or below the current version for a downgrade.</summary>
    public string? Target { get; init; }

    public ScanOptions Scan { get; init; } = new();

    /// <summary>Accepted findings (<c>--baseline</c>).</summary>
    public BaselineFile? Baseline { get; init; }

    /// <summary>The run's name in its report and its record (the host's command, say); null: the action's own name.</summary>
    public string? RunName { get; init; }

    /// <summary>
    /// The host's presenter (its words for Core's placeholders, secrets blanked), applied to every string of the report
    /// stored in <c>dbintegrity_check_runs</c>, as the host passes its <see cref="RunName"/>; null stores Core's text.
    /// </summary>
    public Func<string, string>? Present { get; init; }

    /// <summary>Record the run in <c>dbintegrity_check_runs</c> when that table exists (the gate's only write).</summary>
    public bool Record { get; init; } = true;
}
