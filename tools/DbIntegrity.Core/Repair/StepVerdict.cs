namespace DbIntegrity.Core.Repair;

/// <summary>Where a step stands against the live state.</summary>
internal enum StepState
{
    /// <summary>The data is as planned: the step is still to do.</summary>
    Pending,

    /// <summary>The data is already as the step leaves it (an earlier run did it).</summary>
    Done,

    /// <summary>Neither: the data changed since the plan.</summary>
    Stale,
}

internal sealed record StepVerdict(StepState State, string? Why = null)
{
    public static StepVerdict Pending { get; } = new(StepState.Pending);

    public static StepVerdict Done { get; } = new(StepState.Done);

    public static StepVerdict Stale(string why) => new(StepState.Stale, why);
}
