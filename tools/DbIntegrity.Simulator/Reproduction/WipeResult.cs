namespace DbIntegrity.Simulator.Reproduction;

/// <summary>What <c>--force</c> wiped: the daemon tables emptied and the number of objects deleted under the daemon prefixes.</summary>
public sealed record WipeResult(IReadOnlyList<string> TablesEmptied, int ObjectsDeleted);
